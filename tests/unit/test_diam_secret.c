/*
 * The secret AVPs in freeDiameter messages (gba/diam.h): the table, the
 * in-place wipe of a message built and of one parsed from its octets as
 * freeDiameter parses what it receives, and the hook gba_diam_start()
 * registers for the answers freeDiameter frees itself.
 *
 * A real freeDiameter 1.2 core runs in this process (a configuration in a
 * temporary directory, a self-signed certificate made with the openssl
 * command, listening on 127.0.0.1 only, no peer).  Which AVPs are secret
 * comes from the specifications, not from the code: XRES in
 * SIP-Authorization (610), CK in Confidentiality-Key (625), IK in
 * Integrity-Key (626) of the Zh MAA (TS 29.109 clause 6.1, TS 29.229
 * clause 6.3), Ks_(ext)_NAF in ME-Key-Material (405) and Ks_int_NAF in
 * UICC-Key-Material (406) of the GPA (TS 29.109 clause 6.3); RAND and AUTN
 * (SIP-Authenticate, 609) and the GPI (417) go to the UE in clear and stay.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>
#include "gba_test.h"
#include "gba/diam.h"

/*
 * libfdcore's own hook dispatcher (exported by libfdcore.so, declared in
 * its internal header only): libfdcore/p_out.c calls it with
 * HOOK_MESSAGE_SENT once an answer is written, then frees the answer.
 */
struct fd_peer;
void fd_hook_call(enum fd_hook_type type, struct msg *msg,
		  struct fd_peer *peer, void *other, struct fd_msg_pmdl *pmdl);

/* distinct fill octets, printable so a text dump would show them too */
#define F_AUTN 0x61 /* 'a' RAND || AUTN */
#define F_XRES 0x62
#define F_CK 0x63
#define F_IK 0x64
#define F_ME 0x65
#define F_UICC 0x66
#define F_GPI 0x67

static char dir[] = "/tmp/test_diam_secret.XXXXXX";
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static char logged[16384];

static void sink(int level, const char *line)
{
	size_t used;

	(void)level;
	pthread_mutex_lock(&log_mu);
	used = strlen(logged);
	snprintf(logged + used, sizeof(logged) - used, "%s\n", line);
	pthread_mutex_unlock(&log_mu);
}

static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s >= 0 && !bind(s, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(s, (struct sockaddr *)&a, &l))
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

static int core_start(void)
{
	char cmd[512], conf[128];
	FILE *f;
	int port = free_port();

	if (port < 0 || !mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey ec -pkeyopt "
		 "ec_paramgen_curve:P-256 -nodes -days 2 -subj "
		 "/CN=secret.test -keyout %s/k.pem -out %s/c.pem "
		 ">/dev/null 2>&1",
		 dir, dir);
	if (system(cmd) != 0)
		return -1;
	snprintf(conf, sizeof(conf), "%s/fd.conf", dir);
	if (!(f = fopen(conf, "w")))
		return -1;
	fprintf(f,
		"Identity = \"secret.test\";\nRealm = \"test\";\n"
		"Port = %d;\nSecPort = 0;\nNo_SCTP;\nNo_IPv6;\n"
		"ListenOn = \"127.0.0.1\";\n"
		"TLS_Cred = \"%s/c.pem\", \"%s/k.pem\";\n"
		"TLS_CA = \"%s/c.pem\";\n",
		port, dir, dir, dir);
	fclose(f);
	return gba_diam_start(conf, FD_LOG_ERROR, sink) == GBA_OK ? 0 : -1;
}

static void core_stop(void)
{
	char p[128];
	static const char *const files[] = {"fd.conf", "c.pem", "k.pem"};
	size_t i;

	gba_diam_stop();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void test_table(void)
{
	static const unsigned secret[] = {610, 625, 626, 405, 406};
	static const unsigned clear[] = {609, 608, 612, 613, 417, 400, 411,
					 418, 601, 404};
	size_t i;

	for (i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
		CU_ASSERT_EQUAL(gba_diam_secret_avp(10415, secret[i]), 1);
		/* the same code without the 3GPP vendor is another AVP */
		CU_ASSERT_EQUAL(gba_diam_secret_avp(0, secret[i]), 0);
	}
	for (i = 0; i < sizeof(clear) / sizeof(clear[0]); i++)
		CU_ASSERT_EQUAL(gba_diam_secret_avp(10415, clear[i]), 0);
}

static void fill(uint8_t *p, int c, size_t n)
{
	memset(p, c, n);
}

/* a MAA as gba-hss builds it (docs/diameter.md), R bit clear */
static struct msg *maa_new(void)
{
	const struct gba_diam_dict *zd = gba_diam_zpn();
	const struct gba_diam_zh *zh = gba_diam_zh();
	uint8_t ra[32], xres[8], ck[16], ik[16];
	struct msg *m = NULL;
	struct avp *g = NULL;

	fill(ra, F_AUTN, sizeof(ra));
	fill(xres, F_XRES, sizeof(xres));
	fill(ck, F_CK, sizeof(ck));
	fill(ik, F_IK, sizeof(ik));
	if (!zd || !zh || fd_msg_new(zh->maa, MSGFL_ALLOC_ETEID, &m) ||
	    gba_diam_add_os(m, zd->session_id, "secret.test;1;2;zh", 18) ||
	    gba_diam_add_u32(m, zd->result_code, 2001) ||
	    gba_diam_add_os(m, zd->user_name, "impi@test", 9) ||
	    fd_msg_avp_new(gba_diam_cx_avp(612), 0, &g) ||
	    gba_diam_add_u32(g, gba_diam_cx_avp(613), 1) ||
	    gba_diam_add_os(g, gba_diam_cx_avp(608), "Digest-AKAv1-MD5", 16) ||
	    gba_diam_add_os(g, gba_diam_cx_avp(609), ra, sizeof(ra)) ||
	    gba_diam_add_os(g, gba_diam_cx_avp(610), xres, sizeof(xres)) ||
	    gba_diam_add_os(g, gba_diam_cx_avp(625), ck, sizeof(ck)) ||
	    gba_diam_add_os(g, gba_diam_cx_avp(626), ik, sizeof(ik)) ||
	    fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, g))
		return NULL;
	return m;
}

/* a GPA's information AVPs (TS 29.109 clause 6.3) */
static struct msg *gpa_new(void)
{
	const struct gba_diam_dict *zd = gba_diam_zpn();
	uint8_t me[32], uicc[32], gpi[40];
	struct msg *m = NULL;

	fill(me, F_ME, sizeof(me));
	fill(uicc, F_UICC, sizeof(uicc));
	fill(gpi, F_GPI, sizeof(gpi));
	if (!zd || fd_msg_new(zd->gpa, MSGFL_ALLOC_ETEID, &m) ||
	    gba_diam_add_os(m, zd->session_id, "secret.test;1;3;scs", 19) ||
	    gba_diam_add_u32(m, zd->result_code, 2001) ||
	    gba_diam_add_os(m, gba_diam_avp(417), gpi, sizeof(gpi)) ||
	    gba_diam_add_os(m, gba_diam_avp(405), me, sizeof(me)) ||
	    gba_diam_add_os(m, gba_diam_avp(406), uicc, sizeof(uicc)))
		return NULL;
	return m;
}

/* @make's message as freeDiameter hands a received one over: its octets
 * parsed, then resolved against the dictionary */
static struct msg *received(struct msg *(*make)(void))
{
	struct msg *m = make(), *p = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	int r;

	if (!m)
		return NULL;
	r = fd_msg_bufferize(m, &buf, &len) ||
	    fd_msg_parse_buffer(&buf, len, &p);
	fd_msg_free(m);
	free(buf);
	if (r)
		return NULL;
	if (fd_msg_parse_dict(p, fd_g_config->cnf_dict, NULL)) {
		fd_msg_free(p);
		return NULL;
	}
	return p;
}

/* every value octet of 3GPP AVP @code (at any depth) equals @c, and the
 * value has @len octets; 0 when no such AVP */
static int value_is(msg_or_avp *parent, unsigned code, int c, size_t len)
{
	struct avp *a = NULL;

	if (fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &a, NULL))
		return 0;
	for (; a; fd_msg_browse(a, MSG_BRW_NEXT, &a, NULL)) {
		struct avp_hdr *h = NULL;
		size_t i;
		int r;

		if (fd_msg_avp_hdr(a, &h))
			return 0;
		if (h->avp_vendor == 10415 && h->avp_code == code) {
			if (!h->avp_value || h->avp_value->os.len != len)
				return 0;
			for (i = 0; i < len; i++)
				if (h->avp_value->os.data[i] != (uint8_t)c)
					return 0;
			return 1;
		}
		if ((r = value_is(a, code, c, len)))
			return r;
	}
	return 0;
}

static void check_maa(struct msg *m, int wiped)
{
	CU_ASSERT(value_is(m, 609, F_AUTN, 32));
	CU_ASSERT(value_is(m, 610, wiped ? 0 : F_XRES, 8));
	CU_ASSERT(value_is(m, 625, wiped ? 0 : F_CK, 16));
	CU_ASSERT(value_is(m, 626, wiped ? 0 : F_IK, 16));
}

static void check_gpa(struct msg *m, int wiped)
{
	CU_ASSERT(value_is(m, 417, F_GPI, 40));
	CU_ASSERT(value_is(m, 405, wiped ? 0 : F_ME, 32));
	CU_ASSERT(value_is(m, 406, wiped ? 0 : F_UICC, 32));
}

/* the message gba-bsf receives (MAA) and the one gba-scs receives (GPA) */
static void test_wipe_parsed(void)
{
	struct msg *p = received(maa_new);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	check_maa(p, 0);
	CU_ASSERT_EQUAL(gba_diam_wipe_secrets(p), 3);
	check_maa(p, 1);
	fd_msg_free(p);

	p = received(gpa_new);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	check_gpa(p, 0);
	CU_ASSERT_EQUAL(gba_diam_wipe_secrets(p), 2);
	check_gpa(p, 1);
	fd_msg_free(p);
	CU_ASSERT_EQUAL(gba_diam_wipe_secrets(NULL), 0);
}

/* a message as built (fd_msg_avp_setvalue's copies), e.g. an answer whose
 * building failed half-way */
static void test_wipe_built(void)
{
	struct msg *m = maa_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(gba_diam_wipe_secrets(m), 3);
	check_maa(m, 1);
	fd_msg_free(m);
}

/* the hook of gba_diam_start(): answers wiped when sent or dropped, a
 * sent request (kept for fail-over) left alone */
static void test_hook(void)
{
	struct msg *m = maa_new(), *q = NULL;
	const struct gba_diam_zh *zh = gba_diam_zh();
	uint8_t ra[30];
	char needle[8];

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	fd_hook_call(HOOK_MESSAGE_SENT, m, NULL, NULL, NULL);
	check_maa(m, 1);
	fd_msg_free(m);

	m = gpa_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	logged[0] = '\0';
	fd_hook_call(HOOK_MESSAGE_DROPPED, m, NULL, (void *)"test drop",
		     NULL);
	check_gpa(m, 1);
	fd_msg_free(m);
	/* the dropped message is still logged, without its keys */
	pthread_mutex_lock(&log_mu);
	CU_ASSERT_PTR_NOT_NULL(strstr(logged, "Message discarded ('test drop')"));
	CU_ASSERT_PTR_NOT_NULL(strstr(logged, "ME-Key-Material"));
	memset(needle, F_ME, 4);
	needle[4] = '\0';
	CU_ASSERT_PTR_NULL(strstr(logged, needle));
	CU_ASSERT_PTR_NULL(strstr(logged, "65656565"));
	CU_ASSERT_PTR_NULL(strstr(logged, "65 65 65 65"));
	pthread_mutex_unlock(&log_mu);

	/* a MAR for a resync: SIP-Authorization = RAND || AUTS stays */
	fill(ra, F_XRES, sizeof(ra));
	CU_ASSERT_FATAL(zh && !fd_msg_new(zh->mar, MSGFL_ALLOC_ETEID, &q));
	CU_ASSERT_FATAL(!gba_diam_add_os(q, gba_diam_cx_avp(610), ra,
					 sizeof(ra)));
	fd_hook_call(HOOK_MESSAGE_SENT, q, NULL, NULL, NULL);
	CU_ASSERT(value_is(q, 610, F_XRES, sizeof(ra)));
	fd_msg_free(q);
}

int main(void)
{
	static CU_TestInfo tests[] = {
		{"secret AVP table", test_table},
		{"wipe in a parsed MAA and GPA", test_wipe_parsed},
		{"wipe in a built MAA", test_wipe_built},
		{"hook: sent and dropped answers", test_hook},
		CU_TEST_INFO_NULL};
	int r;

	if (core_start()) {
		fprintf(stderr, "test_diam_secret: cannot start freeDiameter: %s\n",
			gba_diam_last_error());
		core_stop();
		return 1;
	}
	r = gba_test_run("diam_secret", tests);
	core_stop();
	return r;
}
