/*
 * The GPL SA inside the SCS's NAF SA (TS 33.224).  Placeholder until the
 * gpl library lands: no GPL SA is created and protected pushes are refused
 * by the callers that need one (gpl_sa_len == 0).
 */
#include "scs_i.h"

int scs_sa_gpl_init(struct scs_sa *sa)
{
	sa->gpl_sa_len = 0;
	return GBA_OK;
}

int scs_sa_gpl_check(const struct scs_sa *sa)
{
	(void)sa;
	return GBA_OK;
}
