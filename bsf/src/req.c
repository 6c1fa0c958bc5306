/* see req.h */
#include <string.h>
#include "gba/crypto.h"
#include "req.h"

void bsf_push_res_clear(struct bsf_push_res *res)
{
	if (!res)
		return;
	gba_cleanse(res->me_key, sizeof(res->me_key));
	gba_cleanse(res->uicc_key, sizeof(res->uicc_key));
	gba_cleanse(res->impi, sizeof(res->impi));
}
