/*
 * ue-bench: UE agent latencies on the host (bench/README.md "ue-bench").
 *
 *   gpi      time from handing the LAST SMS segment of a GPI push to
 *            gbaue_pdu_in() until it returns GPI_ACCEPTED: reassembly,
 *            WSP + envelope decode, GPI decode, software-USIM Milenage AKA,
 *            Ks -> NAF key, GPI tag + P-TID, SA store and state save (the
 *            save hook copies into memory: no flash or fsync cost)
 *   trigger  gbaue_pdu_in() of one single-SMS trigger until TRIGGER:
 *            TPDU decode, GPL peek, MAC, replay check, decrypt, state save
 *
 * All GPIs and triggers are built beforehand (BSF and SCS roles, untimed).
 * Every sample is one call timed with CLOCK_MONOTONIC; the median, the 99th
 * percentile and the minimum are printed.  Crypto is the host backend
 * (OpenSSL); the portable backend is slower per AES block.
 * Usage: ue-bench [N [long]]   (N GPIs and N triggers, default 2000;
 * "long": 60-octet P-TIDs, so that each GPI push takes two SMS and the
 * timed last segment includes the reassembly)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gba/aka.h"
#include "gba/crypto.h"
#include "gba/gpi.h"
#include "gba/gpi_push.h"
#include "gba/gpi_sms.h"
#include "gba/hex.h"
#include "gba/kdf.h"
#include "gba/sms.h"
#include "gbaue/gbaue.h"
#include "gbaue/susim.h"
#include "gbaue_memport.h"
#include "sms_deliver.h"
#include "gpl/gpl.h"

#define NOW 1790000000ull
#define IMPI "001010123456789@ims.mnc001.mcc001.3gppnetwork.org"
#define TRIGGER_PORT 16001

/* the UE: tests/support/gbaue_memport.h */
static struct gbaue_memue ue;

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, double *s, size_t n)
{
	qsort(s, n, sizeof(*s), cmp_d);
	printf("%-8s n=%zu  median %8.1f us  p99 %8.1f us  min %8.1f us\n",
	       what, n, s[n / 2], s[(n * 99) / 100], s[0]);
}

struct sms_set {
	uint8_t pdu[2][GBA_SMS_TPDU_MAX];
	size_t len[2];
	size_t n;
};

static int die(const char *m)
{
	fprintf(stderr, "ue-bench: %s\n", m);
	return 1;
}

static int sms_of(uint16_t port, const uint8_t *d, size_t dl, uint16_t ref,
		  struct sms_set *o)
{
	struct gba_sms_tpdu t;
	struct gba_sms_seg_opts so;
	int r;

	if (test_sms_deliver(port, ref, &t, &so))
		return -1;
	r = gba_sms_segment(&t, &so, d, dl, o->pdu, o->len, 2, &o->n);
	if (r)
		fprintf(stderr, "segment: %s (%zu octets)\n", gba_err_name(r),
			dl);
	return r;
}

/* the GPI push of one BSF answer, as the SCS sends it */
static int gpi_sms_of(const uint8_t *gpi, size_t gl, uint16_t session_id,
		      uint16_t ref, struct sms_set *o)
{
	struct gba_gpi_push_cfg pc;
	struct gba_gpi_sms gp;
	struct gba_sms_tpdu t;
	struct gba_sms_seg_opts so;
	int r, step = 0;

	memset(&pc, 0, sizeof(pc));
	pc.app_code = GBA_GPI_PUSH_APP_ID_DEFAULT;
	memset(&gp, 0, sizeof(gp));
	gp.push = &pc;
	gp.tid = 1;
	gp.session_id = session_id;
	gp.tmpl = &t;
	gp.seg = &so;
	if (test_sms_deliver(GBA_WDP_PORT_PUSH, ref, &t, &so))
		return -1;
	r = gba_gpi_sms_compose(&gp, gpi, gl, o->pdu, o->len, 2, &o->n, &step);
	if (r && step == GBA_GPI_SMS_STEP_SMS)
		fprintf(stderr, "segment: %s\n", gba_err_name(r));
	return r;
}

int main(int argc, char **argv)
{
	static const uint8_t ua[5] = {1, 0, 0, 0, 5};
	struct gbaue_event ev;
	struct sms_set *gpis, *trg;
	double *t_gpi, *t_trg, t0;
	uint8_t amf[2] = {0, 0}, naf_key[32], first_key[32], ks[32];
	uint8_t first_rand[16], last_ptid[64];
	size_t ptid_len = 15;
	size_t n = 2000, i;

	if (argc > 1) {
		n = 0;
		for (const char *p = argv[1]; *p; p++) {
			if (*p < '0' || *p > '9' || n > 1000000)
				return die("usage: ue-bench [N]");
			n = n * 10 + (size_t)(*p - '0');
		}
		if (n < 10)
			return die("N must be at least 10");
		if (argc > 2 && !strcmp(argv[2], "long"))
			ptid_len = 60;
	}
	gpis = calloc(n, sizeof(*gpis));
	trg = calloc(n, sizeof(*trg));
	t_gpi = calloc(n, sizeof(double));
	t_trg = calloc(n, sizeof(double));
	if (!gpis || !trg || !t_gpi || !t_trg)
		return die("out of memory");

	/* TS 35.208 set 1 on the software USIM, the in-memory port */
	if (gbaue_memue_setup(&ue, NOW, 1, 0, IMPI, GBA_GPI_PUSH_APP_ID_DEFAULT,
			      TRIGGER_PORT) != GBA_OK)
		return die("USIM");

	/* BSF: n GPIs with fresh RAND and SEQ 1..n, each as a WAP push SMS */
	for (i = 0; i < n; i++) {
		struct gba_gpi_info info;
		struct gba_av av;
		uint8_t gpi[GBA_GPI_MAX];
		char ptid[64];
		size_t gl;
		uint64_t sqn;

		memset(&info, 0, sizeof(info));
		if (gba_random(info.rand, 16) != GBA_OK ||
		    gba_sqn_make(i + 1, 0, 5, &sqn) != GBA_OK ||
		    gba_aka_av(&ue.key, info.rand, sqn, amf, &av) != GBA_OK ||
		    gba_naf_id("scs.example.org", ua, info.naf_id,
			       &info.naf_id_len) != GBA_OK)
			return die("AV");
		gba_ks_from_ck_ik(av.ck, av.ik, ks);
		if (gba_kdf_naf_key(ks, 0, info.rand, (const uint8_t *)IMPI,
				    strlen(IMPI), info.naf_id, info.naf_id_len,
				    naf_key) != GBA_OK)
			return die("KDF");
		memcpy(info.autn, av.autn, 16);
		info.key_expiry = NOW + 3600;
		/* P-TIDs are unique per NAF SA: "ptid-b-00000042" */
		memset(ptid, 'x', sizeof(ptid));
		snprintf(ptid, 16, "ptid-b-%08u", (unsigned)(i % 100000000u));
		ptid[15] = 'x';
		if (gba_gpi_build(&info, (const uint8_t *)ptid, ptid_len,
				  naf_key, gpi, sizeof(gpi), &gl) != GBA_OK)
			return die("GPI");
		if (gpi_sms_of(gpi, gl, (uint16_t)i, (uint16_t)(i & 0xff),
			       &gpis[i]))
			return die("push");
		if (i == n - 1) {
			memcpy(first_key, naf_key, 32);
			memcpy(first_rand, info.rand, 16);
			memcpy(last_ptid, ptid, ptid_len);
		}
	}

	if (gbaue_init(&ue.ctx, &ue.port, &ue.cfg) != GBA_OK)
		return die("init");

	for (i = 0; i < n; i++) {
		size_t s;

		for (s = 0; s + 1 < gpis[i].n; s++)
			if (gbaue_pdu_in(&ue.ctx, gpis[i].pdu[s], gpis[i].len[s],
					 0, &ev) != GBA_OK ||
			    ev.type != GBAUE_EV_SEGMENT)
				return die("segment");
		t0 = now_us();
		if (gbaue_pdu_in(&ue.ctx, gpis[i].pdu[s], gpis[i].len[s], 0,
				 &ev) != GBA_OK)
			return die("gbaue_pdu_in");
		t_gpi[i] = now_us() - t0;
		if (ev.type != GBAUE_EV_GPI_ACCEPTED) {
			fprintf(stderr, "GPI %zu: %s %s\n", i,
				gbaue_event_name(ev.type),
				gbaue_reason_name(ev.reason));
			return die("GPI not accepted");
		}
	}

	/* SCS: n triggers under the last SA, SN 1..n */
	{
		struct gpl_sa sa;
		uint8_t naf_id[GBA_NAF_ID_MAX], msg[GPL_MSG_MAX];
		size_t nl, ml;
		static const char payload[] = "trigger: connect to scs";

		if (gba_naf_id("scs.example.org", ua, naf_id, &nl) != GBA_OK ||
		    gpl_sa_init(&sa, first_key, naf_id, nl, first_rand,
				last_ptid, ptid_len, NOW + 3600,
				GPL_SUITE_AES128CTR_HMAC256_128) != GBA_OK)
			return die("SA");
		for (i = 0; i < n; i++)
			if (gpl_protect(&sa, NOW, (const uint8_t *)payload,
					sizeof(payload) - 1, msg, sizeof(msg),
					&ml) != GBA_OK ||
			    sms_of(TRIGGER_PORT, msg, ml, 1, &trg[i]) ||
			    trg[i].n != 1)
				return die("trigger");
		gpl_sa_clear(&sa);
	}
	for (i = 0; i < n; i++) {
		t0 = now_us();
		if (gbaue_pdu_in(&ue.ctx, trg[i].pdu[0], trg[i].len[0], 0, &ev) !=
		    GBA_OK)
			return die("gbaue_pdu_in");
		t_trg[i] = now_us() - t0;
		if (ev.type != GBAUE_EV_TRIGGER)
			return die("trigger not accepted");
	}
	printf("ue-bench: crypto backend %s, %zu GPIs (%zu SMS each), "
	       "%zu triggers\n",
	       gba_crypto_backend(), n, gpis[0].n, n);
	report("gpi", t_gpi, n);
	report("trigger", t_trg, n);
	gbaue_clear(&ue.ctx);
	gbaue_susim_clear(&ue.usim);
	free(gpis);
	free(trg);
	free(t_gpi);
	free(t_trg);
	return 0;
}
