/* see gbaue_test_ue.h */
#include <string.h>
#include "gba/hex.h"
#include "gbaue_test_ue.h"

int gbaue_test_ue(struct gba_auth_key *key, struct gbaue_susim *usim,
		  int gba_u_capable, struct gbaue_cfg *cfg, const char *impi,
		  uint32_t app_code, uint16_t trigger_port)
{
	int r;

	memset(key, 0, sizeof(*key));
	key->alg = GBA_ALG_MILENAGE;
	key->k_len = 16;
	/* TS 35.208 test set 1 */
	if ((r = gba_hex_decode_exact("465b5ce8b199b49faa5f0a2ee238a6bc",
				      key->k, 16)) != GBA_OK ||
	    (r = gba_hex_decode_exact("cd63cb71954a9f4e48a5994e37a02baf",
				      key->opc, 16)) != GBA_OK)
		return r;
	if ((r = gbaue_susim_init(usim, key, NULL, gba_u_capable)) != GBA_OK)
		return r;
	gbaue_cfg_default(cfg);
	memcpy(cfg->impi, impi, strlen(impi));
	cfg->impi_len = strlen(impi);
	cfg->push.app_code = app_code;
	cfg->trigger_port = trigger_port;
	return GBA_OK;
}
