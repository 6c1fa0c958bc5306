/* see gbaue_memport.h */
#include <string.h>
#include "gbaue_memport.h"
#include "gbaue_test_ue.h"

static uint64_t mp_now_ms(void *arg)
{
	return ((struct gbaue_memport *)arg)->now_ms;
}

static int mp_wall(void *arg, uint64_t *s)
{
	*s = ((struct gbaue_memport *)arg)->now_s;
	return 0;
}

static int mp_load(void *arg, uint8_t *buf, size_t cap, size_t *len)
{
	struct gbaue_memport *m = arg;

	if (!m->have_blob)
		return 1;
	if (m->blob_len > cap)
		return -1;
	memcpy(buf, m->blob, m->blob_len);
	*len = m->blob_len;
	return 0;
}

static int mp_save(void *arg, const uint8_t *buf, size_t len)
{
	struct gbaue_memport *m = arg;

	if (m->save_fail || len > sizeof(m->blob))
		return -1;
	memcpy(m->blob, buf, len);
	m->blob_len = len;
	m->have_blob = 1;
	m->saves++;
	return 0;
}

static void mp_log(void *arg, int level, const char *msg, int code)
{
	(void)level;
	(void)msg;
	(void)code;
	((struct gbaue_memport *)arg)->logs++;
}

void gbaue_memport_init(struct gbaue_memport *m, struct gbaue_port *port,
			uint64_t now_s, uint64_t now_ms)
{
	memset(m, 0, sizeof(*m));
	m->now_s = now_s;
	m->now_ms = now_ms;
	port->arg = m;
	port->now_ms = mp_now_ms;
	port->wall_time = mp_wall;
	port->load = mp_load;
	port->save = mp_save;
	port->log = mp_log;
}

int gbaue_memport_ue(struct gbaue_memport *m, struct gbaue_port *port,
		     uint64_t now_s, uint64_t now_ms, struct gba_auth_key *key,
		     struct gbaue_susim *usim, int gba_u_capable,
		     struct gbaue_cfg *cfg, const char *impi,
		     uint32_t app_code, uint16_t trigger_port)
{
	int r;

	if ((r = gbaue_test_ue(key, usim, gba_u_capable, cfg, impi, app_code,
			       trigger_port)) != GBA_OK)
		return r;
	memset(port, 0, sizeof(*port));
	gbaue_memport_init(m, port, now_s, now_ms);
	port->usim = &gbaue_susim_ops;
	port->usim_arg = usim;
	return GBA_OK;
}

int gbaue_memue_setup(struct gbaue_memue *u, uint64_t now_s, uint64_t now_ms,
		      int gba_u_capable, const char *impi, uint32_t app_code,
		      uint16_t trigger_port)
{
	int r;

	r = gbaue_memport_ue(&u->mp, &u->port, now_s, now_ms, &u->key,
			     &u->usim, gba_u_capable, &u->cfg, impi, app_code,
			     trigger_port);
	u->port.log = NULL;
	return r;
}
