/* gbatool milenage: TS 35.206 */
#include "gba/crypto.h"
#include "gba/milenage.h"
#include "tool.h"

int cmd_milenage(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		{ "k", 0, "HEX  K, 16 octets" },
		{ "op", 0, "HEX  OP, 16 octets (or --opc)" },
		{ "opc", 0, "HEX  OPc, 16 octets (or --op)" },
		{ "rand", 0, "HEX  RAND, 16 octets" },
		{ "sqn", 0, "HEX  SQN, 6 octets" },
		{ "amf", 0, "HEX  AMF, 2 octets" },
	};
	uint8_t k[16], op[16], opc[16], rand_[16], sqn[6], amf[2];
	struct gba_milenage_out m;
	struct opts o;
	struct out w;
	int r;

	r = opts_parse(&o, "milenage",
		       "--k HEX (--op HEX | --opc HEX) --rand HEX --sqn HEX "
		       "--amf HEX",
		       spec, GBA_ARRAY_SIZE(spec), argc, argv);
	if (r)
		return r < 0 ? 0 : r;
	if (opt_has(&o, "op") == opt_has(&o, "opc")) {
		tool_err("milenage", "give exactly one of --op and --opc");
		return TOOL_EXIT_USAGE;
	}
	if ((r = opt_hex_exact(&o, "k", k, 16)) ||
	    (r = opt_hex_exact(&o, "rand", rand_, 16)) ||
	    (r = opt_hex_exact(&o, "sqn", sqn, 6)) ||
	    (r = opt_hex_exact(&o, "amf", amf, 2)))
		goto out;
	if (opt_has(&o, "op")) {
		if ((r = opt_hex_exact(&o, "op", op, 16)))
			goto out;
		if ((r = gba_milenage_opc(k, op, opc)) != GBA_OK)
			goto fail;
	} else if ((r = opt_hex_exact(&o, "opc", opc, 16))) {
		goto out;
	}
	if ((r = gba_milenage(k, opc, rand_, sqn, amf, GBA_MILENAGE_ALL,
			      &m)) != GBA_OK)
		goto fail;
	out_begin(&w, o.json);
	out_hex(&w, "opc", opc, 16);
	out_hex(&w, "f1", m.mac_a, 8);
	out_hex(&w, "f1star", m.mac_s, 8);
	out_hex(&w, "f2", m.res, 8);
	out_hex(&w, "f3", m.ck, 16);
	out_hex(&w, "f4", m.ik, 16);
	out_hex(&w, "f5", m.ak, 6);
	out_hex(&w, "f5star", m.ak_s, 6);
	out_end(&w);
	goto out;
fail:
	tool_err("milenage", "%s", gba_strerror(r));
	r = TOOL_EXIT_FAIL;
out:
	gba_cleanse(k, sizeof(k));
	gba_cleanse(op, sizeof(op));
	gba_cleanse(opc, sizeof(opc));
	gba_cleanse(&m, sizeof(m));
	return r;
}
