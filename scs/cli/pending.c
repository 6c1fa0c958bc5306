/* Subcommands waiting for the SMS / GPI-push codecs (wip/sms). */
#include "cli.h"

int cmd_push(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err("push", "not available yet: needs the SMS/GPI-push codecs");
	return 1;
}

int cmd_trigger(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err("trigger", "not available yet: needs the SMS codec");
	return 1;
}
