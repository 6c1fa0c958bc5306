/*
 * gbatool - test engineers' front end to the gbapush core.
 * Subcommands are listed in cmd_table below; "gbatool CMD --help" for each.
 */
#include <stdio.h>
#include <string.h>
#include "tool.h"

static const struct gba_cli_cmd cmd_table[] = {
	{ "vectors", "replay the test data of vectors/ (vectors run [FILE...])",
	  cmd_vectors },
	{ "milenage", "Milenage f1..f5* (TS 35.206)", cmd_milenage },
	{ "tuak", "TUAK f1..f5* (TS 35.231)", cmd_tuak },
	{ "av", "authentication vector for one SQN (TS 33.102 6.3.2)",
	  cmd_av },
	{ "auts", "AUTS a USIM returns on sync failure (TS 33.102 6.3.3)",
	  cmd_auts },
	{ "resync", "verify AUTS and recover SQN_MS (TS 33.102 6.3.5)",
	  cmd_resync },
	{ "kdf", "TS 33.220 B.2 key derivation", cmd_kdf },
	{ "ks-naf", "Ks_NAF / Ks_int_NAF (TS 33.220 B.3)", cmd_ks_naf },
	{ "sms", "SMS TPDU decode/encode (TS 23.040, WAP Push)", cmd_sms },
	{ "gpi", "GBA Push Information decode / build (project layout)",
	  cmd_gpi },
};

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: gbatool COMMAND [OPTIONS]\n\n"
		    "Output: one name=hex line per value, or --json.\n"
		    "Exit status: 0 success, 1 operation failed, 2 usage "
		    "error.\n\nCommands:\n");
	for (i = 0; i < sizeof(cmd_table) / sizeof(cmd_table[0]); i++)
		fprintf(fp, "  %-10s %s\n", cmd_table[i].name,
			cmd_table[i].summary);
	fprintf(fp, "\nRun 'gbatool COMMAND --help' for its options;"
		    " 'gbatool --version' for the version.\n");
}

int main(int argc, char **argv)
{
	return gba_cli_dispatch("gbatool", GBA_VERSION, cmd_table,
				GBA_ARRAY_SIZE(cmd_table), usage, argc, argv);
}
