/* gbatool kdf / ks-naf: TS 33.220 Annex B.2 and B.3 */
#include <string.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/kdf.h"
#include "gba/utf8_nfkc.h"
#include "tool.h"

int cmd_kdf(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		{ "key", 0, "HEX  KDF key" },
		{ "fc", 0, "HEX  FC: one octet, or two octets starting ff" },
		{ "param", OPT_REPEAT, "HEX  P0, P1, ... in order" },
	};
	static uint8_t pbuf[GBA_KDF_MAX_PARAMS][GBA_KDF_MAX_PLEN];
	const uint8_t *p[GBA_KDF_MAX_PARAMS];
	size_t plen[GBA_KDF_MAX_PARAMS];
	uint8_t key[256], fc[2], out[GBA_KDF_OUT_LEN];
	size_t key_len = 0, fc_len = 0;
	unsigned i, n;
	uint16_t fcv;
	struct opts o;
	struct out w;
	int r;

	r = opts_parse(&o, "kdf", "--key HEX --fc HEX [--param HEX]...", spec,
		       GBA_ARRAY_SIZE(spec), argc, argv);
	if (r)
		return r < 0 ? 0 : r;
	if ((r = opt_hex(&o, "key", key, sizeof(key), &key_len)) ||
	    (r = opt_hex(&o, "fc", fc, sizeof(fc), &fc_len)))
		goto out;
	if (fc_len == 1 && fc[0] != 0xff) {
		fcv = fc[0];
	} else if (fc_len == 2 && fc[0] == 0xff) {
		fcv = (uint16_t)(0xff00 | fc[1]);
	} else {
		tool_err("kdf", "--fc: one octet 00..fe, or ff followed by one "
				"octet");
		r = TOOL_EXIT_USAGE;
		goto out;
	}
	n = opt_count(&o, "param");
	for (i = 0; i < n; i++) {
		const char *s = opt_get_n(&o, "param", i);
		size_t got;

		if (gba_hex_decode(s, strlen(s), pbuf[i], sizeof(pbuf[i]),
				   &got) != GBA_OK) {
			tool_err("kdf", "--param #%u: not a hex string of at "
					"most 65535 octets", i + 1);
			r = TOOL_EXIT_USAGE;
			goto out;
		}
		p[i] = pbuf[i];
		plen[i] = got;
	}
	if ((r = gba_kdf(key, key_len, fcv, n, p, plen, out)) != GBA_OK) {
		r = tool_fail("kdf", r);
		goto out;
	}
	out_begin(&w, o.json);
	out_hex(&w, "out", out, sizeof(out));
	out_end(&w);
out:
	gba_cleanse(key, sizeof(key));
	gba_cleanse(out, sizeof(out));
	return r;
}

int cmd_ks_naf(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		{ "ck", 0, "HEX  CK, 16 octets" },
		{ "ik", 0, "HEX  IK, 16 octets" },
		OPT_SPEC_RAND,
		{ "impi", 0, "TEXT IMPI (UTF-8; NFKC-normalised here)" },
		{ "naf-fqdn", 0, "TEXT NAF FQDN (UTF-8; NFKC-normalised here)" },
		{ "ua-id", 0, "HEX  Ua security protocol id, 5 octets "
			      "(e.g. 0100000005 for GPL)" },
	};
	uint8_t ck[16], ik[16], rand_[16], ua[5], ks[GBA_KS_LEN];
	uint8_t naf_id[GBA_NAF_ID_MAX], me[32], u[32];
	char impi[GBA_IMPI_MAX + 1], fqdn[GBA_FQDN_MAX + 1];
	size_t naf_id_len;
	struct opts o;
	struct out w;
	int r;

	r = opts_parse(&o, "ks-naf",
		       "--ck HEX --ik HEX --rand HEX --impi TEXT "
		       "--naf-fqdn TEXT --ua-id HEX",
		       spec, GBA_ARRAY_SIZE(spec), argc, argv);
	if (r)
		return r < 0 ? 0 : r;
	if ((r = opt_hex_exact(&o, "ck", ck, 16)) ||
	    (r = opt_hex_exact(&o, "ik", ik, 16)) ||
	    (r = opt_hex_exact(&o, "rand", rand_, 16)) ||
	    (r = opt_require(&o, "impi")) ||
	    (r = opt_require(&o, "naf-fqdn")) ||
	    (r = opt_hex_exact(&o, "ua-id", ua, 5)))
		goto out;
	/* TS 33.220 B.2.1: character strings are NFKC, then UTF-8 */
	if ((r = gba_utf8_nfkc_str(opt_get(&o, "impi"), impi, sizeof(impi)))) {
		tool_err("ks-naf", "--impi: %s", gba_strerror(r));
		r = TOOL_EXIT_USAGE;
		goto out;
	}
	if ((r = gba_utf8_nfkc_str(opt_get(&o, "naf-fqdn"), fqdn,
				   sizeof(fqdn)))) {
		tool_err("ks-naf", "--naf-fqdn: %s", gba_strerror(r));
		r = TOOL_EXIT_USAGE;
		goto out;
	}
	if ((r = gba_naf_id(fqdn, ua, naf_id, &naf_id_len)) != GBA_OK) {
		tool_err("ks-naf", "--naf-fqdn: %s", gba_strerror(r));
		r = TOOL_EXIT_USAGE;
		goto out;
	}
	gba_ks_from_ck_ik(ck, ik, ks);
	if ((r = gba_kdf_naf_key(ks, 0, rand_, (const uint8_t *)impi,
				 strlen(impi), naf_id, naf_id_len, me)) ||
	    (r = gba_kdf_naf_key(ks, 1, rand_, (const uint8_t *)impi,
				 strlen(impi), naf_id, naf_id_len, u))) {
		r = tool_fail("ks-naf", r);
		goto out;
	}
	out_begin(&w, o.json);
	out_hex(&w, "ks_naf", me, sizeof(me));
	out_hex(&w, "ks_int_naf", u, sizeof(u));
	out_end(&w);
out:
	gba_cleanse(ck, sizeof(ck));
	gba_cleanse(ik, sizeof(ik));
	gba_cleanse(ks, sizeof(ks));
	gba_cleanse(me, sizeof(me));
	gba_cleanse(u, sizeof(u));
	return r;
}
