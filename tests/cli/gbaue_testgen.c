/*
 * gbaue-testgen - test helper playing BSF and SCS for the gba-ue CLI tests
 * and the benchmark (host only, not installed).  Uses only common/ and
 * gpl/: gba_aka_av, gba_kdf_naf_key, gba_gpi_build, gba_gpi_sms_compose,
 * gba_sms_segment, gpl_protect.
 *
 *   gbaue-testgen gpi K OPC IMPI FQDN SEQ RAND PTID APPID GBA_U EXPIRY [LABEL]
 *     prints "pdu <hex TPDU>" per SMS segment, then "naf_key <hex>";
 *     LABEL: the GPI's UICC application label (default none)
 *   gbaue-testgen trigger NAFKEY FQDN RAND PTID SN EXPIRY PORT PAYLOAD
 *     prints "pdu <hex TPDU>" (one SMS, 16-bit port IE)
 * Numbers are decimal.  Exit 0, or 1 with a message.
 */
#include <stdio.h>
#include <string.h>
#include "gba/aka.h"
#include "gba/gpi.h"
#include "gba/gpi_push.h"
#include "gba/gpi_sms.h"
#include "gba/hex.h"
#include "gba/kdf.h"
#include "gba/sms.h"
#include "gpl/gpl.h"
#include "sms_deliver.h"

static const uint8_t ua_gpl[5] = {0x01, 0x00, 0x00, 0x00, 0x05};

static int num(const char *s, uint64_t *v)
{
	uint64_t x = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || x > (UINT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*v = x;
	return 0;
}

static int hex(const char *s, uint8_t *out, size_t n)
{
	return gba_hex_decode_exact(s, out, n) == GBA_OK ? 0 : -1;
}

static void put(const char *tag, const uint8_t *b, size_t n)
{
	size_t i;

	printf("%s ", tag);
	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
}


static void emit_pdus(uint8_t (*pdus)[GBA_SMS_TPDU_MAX], const size_t *pl,
		      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put("pdu", pdus[i], pl[i]);
}

static int emit_sms(uint16_t port, const uint8_t *data, size_t len,
		    uint16_t ref)
{
	struct gba_sms_tpdu t;
	struct gba_sms_seg_opts o;
	uint8_t pdus[8][GBA_SMS_TPDU_MAX];
	size_t pl[8], n = 0;

	if (test_sms_deliver(port, ref, &t, &o) ||
	    gba_sms_segment(&t, &o, data, len, pdus, pl, 8, &n) != GBA_OK)
		return -1;
	emit_pdus(pdus, pl, n);
	return 0;
}

static int gen_gpi(char **a)
{
	struct gba_auth_key key;
	struct gba_av av;
	struct gba_gpi_info info;
	struct gba_gpi_push_cfg pc;
	struct gba_gpi_sms gp;
	struct gba_sms_tpdu t;
	struct gba_sms_seg_opts so;
	uint8_t amf[2] = {0, 0}, ks[32], nk[32], gpi[GBA_GPI_MAX];
	uint8_t pdus[8][GBA_SMS_TPDU_MAX];
	uint64_t seq, app, gba_u, exp, sqn;
	size_t gl, pl[8], n = 0;

	memset(&key, 0, sizeof(key));
	memset(&info, 0, sizeof(info));
	key.alg = GBA_ALG_MILENAGE;
	key.k_len = 16;
	if (hex(a[0], key.k, 16) || hex(a[1], key.opc, 16) || num(a[4], &seq) ||
	    hex(a[5], info.rand, 16) || num(a[7], &app) || num(a[8], &gba_u) ||
	    num(a[9], &exp))
		return -1;
	if (gba_sqn_make(seq, 0, 5, &sqn) != GBA_OK ||
	    gba_aka_av(&key, info.rand, sqn, amf, &av) != GBA_OK ||
	    gba_naf_id(a[3], ua_gpl, info.naf_id, &info.naf_id_len) != GBA_OK)
		return -1;
	gba_ks_from_ck_ik(av.ck, av.ik, ks);
	if (gba_kdf_naf_key(ks, 0, info.rand, (const uint8_t *)a[2],
			    strlen(a[2]), info.naf_id, info.naf_id_len,
			    nk) != GBA_OK)
		return -1;
	info.gba_u = (int)gba_u;
	if (gba_u) {
		if (gba_aka_autn_star(av.autn, av.ik, 16, info.autn) != GBA_OK)
			return -1;
	} else {
		memcpy(info.autn, av.autn, 16);
	}
	info.key_expiry = exp;
	if (a[10]) {
		info.app_label_len = strlen(a[10]);
		if (info.app_label_len > GBA_APP_LABEL_MAX)
			return -1;
		memcpy(info.app_label, a[10], info.app_label_len);
	}
	if (gba_gpi_build(&info, (const uint8_t *)a[6], strlen(a[6]), nk, gpi,
			  sizeof(gpi), &gl) != GBA_OK)
		return -1;
	memset(&pc, 0, sizeof(pc));
	pc.app_code = (uint32_t)app;
	memset(&gp, 0, sizeof(gp));
	gp.push = &pc;
	gp.tid = 1;
	gp.session_id = (uint16_t)seq;
	gp.tmpl = &t;
	gp.seg = &so;
	if (test_sms_deliver(GBA_WDP_PORT_PUSH, (uint16_t)seq, &t, &so) ||
	    gba_gpi_sms_compose(&gp, gpi, gl, pdus, pl, 8, &n, NULL) != GBA_OK)
		return -1;
	emit_pdus(pdus, pl, n);
	put("naf_key", nk, 32);
	return 0;
}

static int gen_trigger(char **a)
{
	struct gpl_sa sa;
	uint8_t nk[32], rnd[16], naf[GBA_NAF_ID_MAX], msg[GPL_MSG_MAX];
	uint64_t sn, exp, port;
	size_t nl, ml;

	if (hex(a[0], nk, 32) || hex(a[2], rnd, 16) || num(a[4], &sn) ||
	    sn == 0 || sn > 0xffffffffu || num(a[5], &exp) ||
	    num(a[6], &port) || port > 65535 ||
	    gba_naf_id(a[1], ua_gpl, naf, &nl) != GBA_OK)
		return -1;
	if (gpl_sa_init(&sa, nk, naf, nl, rnd, (const uint8_t *)a[3],
			strlen(a[3]), exp,
			GPL_SUITE_AES128CTR_HMAC256_128) != GBA_OK)
		return -1;
	sa.sn_c = (uint32_t)(sn - 1); /* next protect uses SN */
	if (gpl_protect(&sa, exp - 1, (const uint8_t *)a[7], strlen(a[7]), msg,
			sizeof(msg), &ml) != GBA_OK)
		return -1;
	gpl_sa_clear(&sa);
	return emit_sms((uint16_t)port, msg, ml, 1);
}

int main(int argc, char **argv)
{
	int r = -1;

	if ((argc == 12 || argc == 13) && !strcmp(argv[1], "gpi"))
		r = gen_gpi(argv + 2);
	else if (argc == 10 && !strcmp(argv[1], "trigger"))
		r = gen_trigger(argv + 2);
	else
		fprintf(stderr, "usage: see the comment in gbaue_testgen.c\n");
	if (r != 0) {
		fprintf(stderr, "gbaue-testgen: failed\n");
		return 1;
	}
	return 0;
}
