/* see gba/gpi_sms.h (TS 24.109 Annex J.2 over TS 23.040 9.2.3.24; host only) */
#include <string.h>
#include "gba/gpi_sms.h"

int gba_gpi_sms_compose(const struct gba_gpi_sms *p, const uint8_t *gpi,
			size_t gpi_len, uint8_t (*pdus)[GBA_SMS_TPDU_MAX],
			size_t *pdu_len, size_t max_pdus, size_t *npdus,
			int *step)
{
	uint8_t dg[GBA_GPI_SMS_DGRAM_MAX];
	struct gba_gpi_env env;
	size_t dl = 0;
	int r;

	if (step)
		*step = GBA_GPI_SMS_STEP_PUSH;
	if (!npdus)
		return GBA_ERR_BAD_PARAM;
	*npdus = 0;
	if (!p || !p->push || !p->tmpl || !p->seg)
		return GBA_ERR_BAD_PARAM;
	memset(&env, 0, sizeof(env));
	env.session_id = p->session_id;
	env.gpi = gpi;
	env.gpi_len = gpi_len;
	r = gba_gpi_push_encode(p->push, p->tid, &env, dg, sizeof(dg), &dl);
	if (r != GBA_OK)
		return r;
	if (step)
		*step = GBA_GPI_SMS_STEP_SMS;
	if (gba_sms_segment_count(p->seg, dl) > max_pdus)
		return GBA_ERR_TOO_LARGE;
	r = gba_sms_segment(p->tmpl, p->seg, dg, dl, pdus, pdu_len, max_pdus,
			    npdus);
	if (r != GBA_OK)
		*npdus = 0;
	return r;
}
