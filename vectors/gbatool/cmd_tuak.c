/* gbatool tuak: TS 35.231 */
#include <string.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/tuak.h"
#include "tool.h"

/* Upper bound of --tuak-iterations: a tool limit, not a spec bound. */
#define TUAK_TOOL_MAX_ITER 65535

static int bits_opt(const struct opts *o, const char *name,
		    const unsigned *allowed, size_t n, size_t *octets)
{
	const char *s = opt_get(o, name);
	unsigned long v = 0;
	size_t i;

	if (!s)
		return 0;
	if (opt_uint(o, name, 1, 1024, &v))
		return TOOL_EXIT_USAGE;
	for (i = 0; i < n; i++) {
		if (v == allowed[i]) {
			*octets = v / 8;
			return 0;
		}
	}
	tool_err(o->cmd, "--%s: %lu is not a TUAK length", name, v);
	return TOOL_EXIT_USAGE;
}

int cmd_tuak(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		{"k", 0, "HEX  K, 16 or 32 octets (sets the K length)"},
		{"top", 0, "HEX  TOP, 32 octets (or --topc)"},
		{"topc", 0, "HEX  TOPc, 32 octets (or --top)"},
		OPT_SPEC_RAND_SQN_AMF,
		{"tuak-iterations", 0, "N    Keccak iterations (default 1)"},
		{"tuak-mac-bits", 0,
		 "N    MAC-A/MAC-S length: 64 (default), 128, "
		 "256"},
		{"tuak-res-bits", 0, "N    RES length: 32, 64 (default), 128, 256"},
		{"tuak-ck-bits", 0, "N    CK length: 128 (default), 256"},
		{"tuak-ik-bits", 0, "N    IK length: 128 (default), 256"},
	};
	static const unsigned mac_bits[] = {64, 128, 256};
	static const unsigned res_bits[] = {32, 64, 128, 256};
	static const unsigned key_bits[] = {128, 256};
	struct gba_tuak_inst inst = {16, 1, 8, 8, 16, 16};
	uint8_t k[32], top[32], topc[32], rand_[16], sqn[6], amf[2];
	struct gba_tuak_out t;
	unsigned long iter = 1;
	struct opts o;
	struct out w;
	int r;

	memset(&t, 0, sizeof(t));
	memset(k, 0, sizeof(k));
	r = opts_parse(&o, "tuak",
		       "--k HEX (--top HEX | --topc HEX) --rand HEX --sqn HEX "
		       "--amf HEX [--tuak-iterations N] [--tuak-mac-bits N] "
		       "[--tuak-res-bits N] [--tuak-ck-bits N] [--tuak-ik-bits N]",
		       spec, GBA_ARRAY_SIZE(spec), argc, argv);
	if (r)
		return r < 0 ? 0 : r;
	if (o.npos) {
		tool_err("tuak", "unexpected argument '%s'", o.pos[0]);
		return TOOL_EXIT_USAGE;
	}
	if (opt_has(&o, "top") == opt_has(&o, "topc")) {
		tool_err("tuak", "give exactly one of --top and --topc");
		return TOOL_EXIT_USAGE;
	}
	if ((r = opt_hex(&o, "k", k, sizeof(k), &inst.k_len)))
		goto out;
	if (inst.k_len != 16 && inst.k_len != 32) {
		tool_err("tuak", "--k: expected 16 or 32 octets (32 or 64 hex "
				 "digits)");
		r = TOOL_EXIT_USAGE;
		goto out;
	}
	if ((r = opt_hex_exact(&o, "rand", rand_, 16)) ||
	    (r = opt_hex_exact(&o, "sqn", sqn, 6)) ||
	    (r = opt_hex_exact(&o, "amf", amf, 2)) ||
	    (r = opt_uint(&o, "tuak-iterations", 1, TUAK_TOOL_MAX_ITER,
			  &iter)) ||
	    (r = bits_opt(&o, "tuak-mac-bits", mac_bits, GBA_ARRAY_SIZE(mac_bits),
			  &inst.mac_len)) ||
	    (r = bits_opt(&o, "tuak-res-bits", res_bits, GBA_ARRAY_SIZE(res_bits),
			  &inst.res_len)) ||
	    (r = bits_opt(&o, "tuak-ck-bits", key_bits, GBA_ARRAY_SIZE(key_bits),
			  &inst.ck_len)) ||
	    (r = bits_opt(&o, "tuak-ik-bits", key_bits, GBA_ARRAY_SIZE(key_bits),
			  &inst.ik_len)))
		goto out;
	inst.iterations = (unsigned)iter;
	if (opt_has(&o, "top")) {
		if ((r = opt_hex_exact(&o, "top", top, 32)))
			goto out;
		if ((r = gba_tuak_topc(&inst, k, top, topc)) != GBA_OK) {
			r = tool_fail("tuak", r);
			goto out;
		}
	} else if ((r = opt_hex_exact(&o, "topc", topc, 32))) {
		goto out;
	}
	if ((r = gba_tuak(&inst, k, topc, rand_, sqn, amf, GBA_TUAK_ALL, &t)) !=
	    GBA_OK) {
		r = tool_fail("tuak", r);
		goto out;
	}
	{
		const struct out_fns f = {
			t.mac_a,      t.mac_s,	   t.res,      t.ck,
			t.ik,	      t.ak,	   t.ak_s,     inst.mac_len,
			inst.res_len, inst.ck_len, inst.ik_len};

		out_begin(&w, o.json);
		out_hex(&w, "topc", topc, 32);
		out_fns(&w, &f);
		out_end(&w);
	}
out:
	gba_cleanse(k, sizeof(k));
	gba_cleanse(top, sizeof(top));
	gba_cleanse(topc, sizeof(topc));
	gba_cleanse(&t, sizeof(t));
	return r;
}
