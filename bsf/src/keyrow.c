/* see keyrow.h */
#include <string.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "keyrow.h"

int bsf_key_row_decode(const struct bsf_key_text *t, struct gba_auth_key *key,
		       uint8_t amf[2])
{
	size_t opc_want, olen = 0, alen = 0;
	uint8_t amf_tmp[2];
	int ok;

	memset(key, 0, sizeof(*key));
	if (t == NULL || (t->alg != GBA_ALG_MILENAGE && t->alg != GBA_ALG_TUAK))
		goto bad;
	key->alg = (enum gba_alg)t->alg;
	opc_want = key->alg == GBA_ALG_TUAK ? 32 : 16;
	/* lengths first: the decoder below runs on secret text */
	ok = t->k != NULL && t->opc != NULL && t->amf != NULL &&
	     (t->k_len == 32 || (key->alg == GBA_ALG_TUAK && t->k_len == 64)) &&
	     t->opc_len == 2 * opc_want && t->amf_len == 4;
	if (!ok ||
	    gba_hex_decode(t->k, t->k_len, key->k, sizeof(key->k),
			   &key->k_len) != GBA_OK ||
	    gba_hex_decode(t->opc, t->opc_len, key->opc, sizeof(key->opc),
			   &olen) != GBA_OK ||
	    gba_hex_decode(t->amf, t->amf_len, amf_tmp, sizeof(amf_tmp),
			   &alen) != GBA_OK)
		goto bad;
	/* as stored (the schema's defaults for Milenage rows) */
	key->keccak_iterations = t->tuak_iter;
	key->res_len = t->tuak_res;
	key->ck_len = t->tuak_ck;
	key->ik_len = t->tuak_ik;
	if (amf != NULL)
		memcpy(amf, amf_tmp, 2);
	return GBA_OK;
bad:
	gba_cleanse(key, sizeof(*key));
	if (amf != NULL)
		gba_cleanse(amf, 2);
	return GBA_ERR_MALFORMED;
}
