/* see gbaue_memport.h */
#include <string.h>
#include "gba/hex.h"
#include "gbaue_memport.h"

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
	memset(port, 0, sizeof(*port));
	gbaue_memport_init(m, port, now_s, now_ms);
	port->usim = &gbaue_susim_ops;
	port->usim_arg = usim;
	gbaue_cfg_default(cfg);
	memcpy(cfg->impi, impi, strlen(impi));
	cfg->impi_len = strlen(impi);
	cfg->push.app_code = app_code;
	cfg->trigger_port = trigger_port;
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
