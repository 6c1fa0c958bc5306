/*
 * scs_trigger.c - minimal SCS (Push-NAF) program on libgbapush-scs:
 * request a GPI from the BSF (TS 29.309 clause 6.2,
 * Nbsp_GBA_PushInfoRetrieval, mutual TLS), make the NAF SA from it
 * (TS 33.223 clause 4), and protect one device trigger under that SA with
 * the Generic Push Layer (TS 33.224).
 *
 *   scs_trigger URL CERT KEY CA UE-ID NAF-FQDN PAYLOAD-HEX
 *
 * prints "gpi=<hex>", "session=<id>" (what the UE needs, normally sent in
 * a WAP Push, scs_push_pdus()) and "trigger=<hex>" (the GPL message,
 * normally sent as SMS to the UE's trigger port, scs_port_pdus()).
 * A real SCS saves the SA (scs_sa_save() under scs_sa_lock()) before it
 * sends anything; this example keeps it in memory.
 *
 * Build: cc scs_trigger.c $(pkg-config --cflags --libs gbapush-scs)
 *    or: find_package(gbapush) and target_link_libraries(... gbapush::scs)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gba/err.h>
#include <gba/hex.h>
#include <scs/scs.h>

/* "name=<hex>" (at most 2048 octets), with the library's encoder */
static void print_hex(const char *name, const uint8_t *p, size_t n)
{
	static char hex[2 * 2048 + 1];

	if (gba_hex_encode(p, n, hex, sizeof(hex)) != GBA_OK)
		snprintf(hex, sizeof(hex), "(%zu octets: too long)", n);
	printf("%s=%s\n", name, hex);
}

/* hex text (NUL-terminated) to octets, with the library's decoder */
static int hex_in(const char *s, uint8_t *out, size_t cap, size_t *n)
{
	return gba_hex_decode(s, strlen(s), out, cap, n) == GBA_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const uint8_t ua_gpl[GBA_UA_ID_LEN] = SCS_UA_ID_GPL;
	struct scs_bsf bsf = { 0 };
	struct scs_gpi_req req = { 0 };
	struct scs_gpi_resp resp;
	struct scs_error err = { 0 };
	struct scs_sa sa;
	uint8_t payload[256], msg[2048];
	size_t payload_len, msg_len;
	uint64_t now = (uint64_t)time(NULL);
	const uint32_t lifetime = 3600;
	int r, rc = 1;

	if (argc != 8 ||
	    hex_in(argv[7], payload, sizeof(payload), &payload_len) != 0) {
		fprintf(stderr, "usage: scs_trigger URL CERT KEY CA UE-ID "
				"NAF-FQDN PAYLOAD-HEX\n");
		return 2;
	}
	bsf.url = argv[1];
	bsf.cert = argv[2];
	bsf.key = argv[3];
	bsf.ca = argv[4];
	req.ue_id = argv[5];
	req.ue_id_type = SCS_UE_ID_PRIVATE;
	req.uicc_app_label = "";
	req.naf_fqdn = argv[6];
	memcpy(req.ua_id, ua_gpl, sizeof(ua_gpl));
	req.p_tid = "example-ptid-1"; /* a real NAF draws a fresh one */
	req.requested_expiry = now + lifetime;

	if (scs_global_init() != GBA_OK) {
		fprintf(stderr, "scs_trigger: cannot initialise libcurl\n");
		return 1;
	}
	r = scs_bsf_push_info(&bsf, &req, &resp, &err);
	if (r != GBA_OK) {
		fprintf(stderr, "scs_trigger: GPI request: %s (%s)\n",
			gba_strerror(r), err.msg);
		goto out;
	}
	r = scs_sa_from_gpi(&req, lifetime, &resp, now, &sa);
	scs_gpi_resp_clear(&resp);
	if (r != GBA_OK) {
		fprintf(stderr, "scs_trigger: NAF SA: %s\n", gba_strerror(r));
		goto out;
	}
	print_hex("gpi", sa.gpi, sa.gpi_len);
	printf("session=%u\n", sa.session_id);
	r = scs_sa_protect(&sa, now, payload, payload_len, msg, sizeof(msg),
			   &msg_len);
	if (r != GBA_OK) {
		fprintf(stderr, "scs_trigger: protect: %s\n", gba_strerror(r));
	} else {
		print_hex("trigger", msg, msg_len);
		rc = 0;
	}
	scs_sa_clear(&sa);
out:
	scs_global_cleanup();
	return rc;
}
