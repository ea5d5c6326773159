#include "config.h"

#include <stdio.h>

#include "cmd.h"
#include "banned.h"

static int
cmd_help_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc > 1)
		return cmd_usage_error(ctx->cmd, "unexpected argument '%s'",
		    argv[1]);
	if (argc == 1 && cmd_find(argv[0]) == NULL)
		return cmd_usage_error(ctx->cmd, "unknown command '%s'",
		    argv[0]);
	return EXIT_OK;
}

/*
 * "tracestat help CMD" is "tracestat CMD --help", "tracestat help" is
 * "tracestat --help": the same text.
 */
static int
cmd_help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc == 0)
		cmd_usage(stdout);
	else
		cmd_help(cmd_find(argv[0]));
	return EXIT_OK;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "[COMMAND]",
	.summary = "show the options of a command, or the commands",
	.options = (const struct option_spec[]){
		OPTION_END
	},
	.flags = CMD_OPERANDS,
	.check = cmd_help_check,
	.exec = cmd_help_exec
};
