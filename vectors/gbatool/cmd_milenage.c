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
		OPT_SPEC_RAND_SQN_AMF,
	};
	struct {
		uint8_t k[16], op[16], opc[16];
		struct gba_milenage_out m;
	} sec; /* wiped on the way out */
	uint8_t rand_[16], sqn[6], amf[2];
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
	if ((r = opt_hex_exact(&o, "k", sec.k, 16)) ||
	    (r = opt_hex_exact(&o, "rand", rand_, 16)) ||
	    (r = opt_hex_exact(&o, "sqn", sqn, 6)) ||
	    (r = opt_hex_exact(&o, "amf", amf, 2)))
		goto out;
	if (opt_has(&o, "op")) {
		if ((r = opt_hex_exact(&o, "op", sec.op, 16)))
			goto out;
		if ((r = gba_milenage_opc(sec.k, sec.op, sec.opc)) != GBA_OK) {
			r = tool_fail("milenage", r);
			goto out;
		}
	} else if ((r = opt_hex_exact(&o, "opc", sec.opc, 16))) {
		goto out;
	}
	if ((r = gba_milenage(sec.k, sec.opc, rand_, sqn, amf,
			      GBA_MILENAGE_ALL, &sec.m)) != GBA_OK) {
		r = tool_fail("milenage", r);
		goto out;
	}
	{
		const struct out_fns f = {sec.m.mac_a, sec.m.mac_s, sec.m.res,
					  sec.m.ck,    sec.m.ik,    sec.m.ak,
					  sec.m.ak_s,  8,	    8,
					  16,	       16};

		out_begin(&w, o.json);
		out_hex(&w, "opc", sec.opc, 16);
		out_fns(&w, &f);
		out_end(&w);
	}
out:
	gba_cleanse(&sec, sizeof(sec));
	return r;
}
