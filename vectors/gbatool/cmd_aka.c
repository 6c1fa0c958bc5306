/*
 * gbatool av / auts / resync: TS 33.102 6.3.2, 6.3.3, 6.3.5 over Milenage
 * (TS 35.206) or TUAK (TS 35.231), through gba/aka.h.
 */
#include <string.h>
#include "gba/aka.h"
#include "gba/crypto.h"
#include "gba/milenage.h"
#include "gba/sqn.h"
#include "gba/tuak.h"
#include "tool.h"

/* Options every AKA subcommand shares (the subscriber's key). */
#define KEY_OPTS                                                               \
	{"alg", 0, "milenage|tuak (default milenage)"},                        \
		{"k", 0, "HEX  K: 16 octets (TUAK: 16 or 32)"},                \
		{"op", 0, "HEX  Milenage OP, 16 octets"},                      \
		{"opc", 0, "HEX  Milenage OPc (16) or TUAK TOPc (32)"},        \
		{"top", 0, "HEX  TUAK TOP, 32 octets"},                        \
		{"topc", 0, "HEX  TUAK TOPc, 32 octets"},                      \
		{"tuak-iterations", 0,                                       \
		 "N  TUAK Keccak iterations (default 1)"},                     \
		{"tuak-res-bits", 0,                                                \
		 "N  TUAK RES size 32|64|128|256 (default 64)"},               \
		{"tuak-ck-bits", 0, "N  TUAK CK size 128|256 (default 128)"},       \
	{                                                                      \
		"tuak-ik-bits", 0, "N  TUAK IK size 128|256 (default 128)"          \
	}

#define KEY_USAGE                                                              \
	"[--alg milenage|tuak] --k HEX (--op|--opc|--top|--topc HEX) "         \
	"[--tuak-iterations N --tuak-res-bits N --tuak-ck-bits N --tuak-ik-bits N]"

static int bits_opt(const struct opts *o, const char *name, unsigned long def,
		    size_t *octets)
{
	unsigned long v = def;
	int r;

	if ((r = opt_uint(o, name, 1, 256, &v)) != 0)
		return r;
	if (strcmp(name, "tuak-res-bits") == 0
		    ? (v != 32 && v != 64 && v != 128 && v != 256)
		    : (v != 128 && v != 256)) {
		tool_err(o->cmd, "--%s: %lu is not a size this algorithm has",
			 name, v);
		return TOOL_EXIT_USAGE;
	}
	*octets = v / 8;
	return 0;
}

/* Fill @key from the options; prints its own error.  0 or an exit code. */
static int key_from_opts(const struct opts *o, struct gba_auth_key *key)
{
	const char *alg = opt_get(o, "alg");
	int nsec = opt_has(o, "op") + opt_has(o, "opc") + opt_has(o, "top") +
		   opt_has(o, "topc");
	uint8_t op[32];
	unsigned long it = 1;
	size_t n = 0;
	int r;

	memset(key, 0, sizeof(*key));
	if (o->npos) {
		tool_err(o->cmd, "unexpected argument '%s'", o->pos[0]);
		return TOOL_EXIT_USAGE;
	}
	if (!alg || strcmp(alg, "milenage") == 0) {
		key->alg = GBA_ALG_MILENAGE;
	} else if (strcmp(alg, "tuak") == 0) {
		key->alg = GBA_ALG_TUAK;
	} else {
		tool_err(o->cmd, "--alg: expected milenage or tuak");
		return TOOL_EXIT_USAGE;
	}
	if (nsec != 1) {
		tool_err(o->cmd,
			 "give exactly one of --op, --opc, --top, --topc");
		return TOOL_EXIT_USAGE;
	}
	if (key->alg == GBA_ALG_MILENAGE) {
		if (opt_has(o, "top") || opt_has(o, "topc") ||
		    opt_has(o, "tuak-iterations") || opt_has(o, "tuak-res-bits") ||
		    opt_has(o, "tuak-ck-bits") || opt_has(o, "tuak-ik-bits")) {
			tool_err(o->cmd,
				 "TUAK options given with --alg milenage");
			return TOOL_EXIT_USAGE;
		}
		key->k_len = 16;
		if ((r = opt_hex_exact(o, "k", key->k, 16)) != 0)
			return r;
		if (opt_has(o, "opc"))
			return opt_hex_exact(o, "opc", key->opc, 16);
		if ((r = opt_hex_exact(o, "op", op, 16)) != 0)
			return r;
		r = gba_milenage_opc(key->k, op, key->opc);
		gba_cleanse(op, sizeof(op));
		if (r != GBA_OK) {
			tool_err(o->cmd, "OPc: %s", gba_strerror(r));
			return TOOL_EXIT_FAIL;
		}
		return 0;
	}

	if (opt_has(o, "op")) {
		tool_err(o->cmd,
			 "--op is Milenage; TUAK takes --top or --topc");
		return TOOL_EXIT_USAGE;
	}
	if ((r = opt_hex(o, "k", key->k, sizeof(key->k), &n)) != 0)
		return r;
	if (n != 16 && n != 32) {
		tool_err(o->cmd, "--k: expected 16 or 32 octets");
		return TOOL_EXIT_USAGE;
	}
	key->k_len = n;
	if ((r = opt_uint(o, "tuak-iterations", 1, 65535, &it)) != 0 ||
	    (r = bits_opt(o, "tuak-res-bits", 64, &key->res_len)) != 0 ||
	    (r = bits_opt(o, "tuak-ck-bits", 128, &key->ck_len)) != 0 ||
	    (r = bits_opt(o, "tuak-ik-bits", 128, &key->ik_len)) != 0)
		return r;
	key->keccak_iterations = (unsigned)it;
	if (opt_has(o, "topc"))
		return opt_hex_exact(o, "topc", key->opc, 32);
	if (opt_has(o, "opc"))
		return opt_hex_exact(o, "opc", key->opc, 32);
	if ((r = opt_hex_exact(o, "top", op, 32)) == 0) {
		struct gba_tuak_inst inst = {
			key->k_len,  key->keccak_iterations,
			8,	     key->res_len,
			key->ck_len, key->ik_len,
		};

		r = gba_tuak_topc(&inst, key->k, op, key->opc);
		if (r != GBA_OK) {
			tool_err(o->cmd, "TOPc: %s", gba_strerror(r));
			r = TOOL_EXIT_FAIL;
		}
	}
	gba_cleanse(op, sizeof(op));
	return r;
}

static int sqn_opt(const struct opts *o, const char *name, uint64_t *sqn)
{
	uint8_t b[6];
	int r;

	if ((r = opt_hex_exact(o, name, b, 6)) != 0)
		return r;
	*sqn = gba_sqn_from_bytes(b);
	return 0;
}

/*
 * The start every AKA subcommand shares: parse the command line, then
 * @key and --rand.  -1 to go on, else the exit code (@key cleared).
 */
static int key_cmd(struct opts *o, const char *cmd, const char *usage,
		   const struct opt_spec *spec, size_t nspec, int argc,
		   char **argv, struct gba_auth_key *key, uint8_t rand_[16])
{
	int r;

	memset(key, 0, sizeof(*key));
	r = opts_parse(o, cmd, usage, spec, nspec, argc, argv);
	if (r)
		return r < 0 ? 0 : r;
	if ((r = key_from_opts(o, key)) != 0 ||
	    (r = opt_hex_exact(o, "rand", rand_, 16)) != 0) {
		gba_auth_key_clear(key);
		return r;
	}
	return -1;
}

int cmd_av(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		KEY_OPTS,
		OPT_SPEC_RAND_SQN_AMF,
	};
	struct gba_auth_key key;
	struct gba_av av;
	uint8_t rand_[16], amf[2];
	uint64_t sqn = 0;
	struct opts o;
	struct out w;
	int r;

	memset(&av, 0, sizeof(av));
	if ((r = key_cmd(&o, "av", KEY_USAGE " --rand HEX --sqn HEX --amf HEX",
			 spec, GBA_ARRAY_SIZE(spec), argc, argv, &key,
			 rand_)) >= 0)
		return r;
	if ((r = sqn_opt(&o, "sqn", &sqn)) != 0 ||
	    (r = opt_hex_exact(&o, "amf", amf, 2)) != 0)
		goto out;
	if ((r = gba_aka_av(&key, rand_, sqn, amf, &av)) != GBA_OK) {
		r = tool_fail("av", r);
		goto out;
	}
	out_begin(&w, o.json);
	out_hex(&w, "rand", av.rand, 16);
	out_hex(&w, "autn", av.autn, GBA_AUTN_LEN);
	out_hex(&w, "xres", av.xres, av.xres_len);
	out_hex(&w, "ck", av.ck, av.ck_len);
	out_hex(&w, "ik", av.ik, av.ik_len);
	out_hex(&w, "ak", av.ak, 6);
	out_end(&w);
out:
	gba_auth_key_clear(&key);
	gba_cleanse(&av, sizeof(av));
	return r;
}

int cmd_auts(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		KEY_OPTS,
		OPT_SPEC_RAND,
		{"sqn-ms", 0, "HEX  SQN_MS, 6 octets"},
	};
	struct gba_auth_key key;
	uint8_t rand_[16], auts[GBA_AUTS_LEN];
	uint64_t sqn_ms = 0;
	struct opts o;
	struct out w;
	int r;

	if ((r = key_cmd(&o, "auts", KEY_USAGE " --rand HEX --sqn-ms HEX",
			 spec, GBA_ARRAY_SIZE(spec), argc, argv, &key,
			 rand_)) >= 0)
		return r;
	if ((r = sqn_opt(&o, "sqn-ms", &sqn_ms)) != 0)
		goto out;
	if ((r = gba_aka_auts(&key, rand_, sqn_ms, auts)) != GBA_OK) {
		r = tool_fail("auts", r);
		goto out;
	}
	out_begin(&w, o.json);
	out_hex(&w, "auts", auts, GBA_AUTS_LEN);
	out_end(&w);
out:
	gba_auth_key_clear(&key);
	return r;
}

int cmd_resync(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		KEY_OPTS,
		OPT_SPEC_RAND,
		{"auts", 0, "HEX  AUTS, 14 octets"},
	};
	struct gba_auth_key key;
	uint8_t rand_[16], auts[GBA_AUTS_LEN], b[6];
	uint64_t sqn_ms = 0;
	struct opts o;
	struct out w;
	int r;

	if ((r = key_cmd(&o, "resync", KEY_USAGE " --rand HEX --auts HEX",
			 spec, GBA_ARRAY_SIZE(spec), argc, argv, &key,
			 rand_)) >= 0)
		return r;
	if ((r = opt_hex_exact(&o, "auts", auts, GBA_AUTS_LEN)) != 0)
		goto out;
	r = gba_aka_auts_verify(&key, rand_, auts, &sqn_ms);
	if (r == GBA_ERR_MAC) {
		tool_err("resync", "MAC-S does not verify: AUTS was not made "
				   "with this K, OPc/TOPc and RAND");
		r = TOOL_EXIT_FAIL;
		goto out;
	}
	if (r != GBA_OK) {
		r = tool_fail("resync", r);
		goto out;
	}
	gba_sqn_to_bytes(sqn_ms, b);
	out_begin(&w, o.json);
	out_hex(&w, "sqn_ms", b, 6);
	out_end(&w);
out:
	gba_auth_key_clear(&key);
	return r;
}
