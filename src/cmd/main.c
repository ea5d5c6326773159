#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "banned.h"

static const struct cmd_ctx *main_ctx;

/*
 * SQLite maps the store's -shm file (and, to read, the store): a file made
 * immutable or truncated under it turns the next access into SIGBUS.  The
 * store checks for that before each transaction; this is for the moment
 * between the check and the write.  Only async-signal-safe calls here.
 */
static void
main_on_sigbus(int sig)
{
	static const char before[] = "tracestat: error: '";
	static const char after[] = "' changed under tracestat (a bus error "
	    "on its mapped pages: made immutable, truncated or a failing "
	    "disk)\n";
	const char *path = main_ctx != NULL && main_ctx->db_path != NULL ?
	    main_ctx->db_path : "";
	ssize_t n;

	(void)sig;
	n = write(STDERR_FILENO, before, sizeof before - 1);
	n = write(STDERR_FILENO, path, strlen(path));
	n = write(STDERR_FILENO, after, sizeof after - 1);
	(void)n;
	_exit(EXIT_STORE);
}

int
main(int argc, char **argv)
{
	struct cmd_ctx ctx;
	struct sigaction sa;
	struct buf err = BUF_INIT;
	const char *env;
	int rc, n;

	memset(&ctx, 0, sizeof ctx);
	ctx.format = OUT_TABLE;
	ctx.run = "latest";
	env = getenv("TRACESTAT_DB");
	ctx.db_path = env != NULL && *env != '\0' ? env : "tracestat.db";

	/* Up to the command's name, which is the first operand. */
	rc = options_parse(cmd_global_options, &ctx, argc, argv,
	    OPTIONS_STOP_AT_OPERAND, &n, &err);
	if (rc == OPTIONS_ERROR)
		cmd_usage_error(NULL, "%s", buf_str(&err));
	buf_free(&err);
	if (rc == OPTIONS_ERROR)
		return EXIT_USAGE;
	if (rc == OPTIONS_HELP) {
		cmd_usage(stdout);
		return EXIT_OK;
	}
	if (rc == OPTIONS_STOPPED) {
		printf("tracestat %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	if (n == 0) {
		cmd_usage(stderr);
		return EXIT_USAGE;
	}
	ctx.cmd = cmd_find(argv[1]);
	if (ctx.cmd == NULL)
		return cmd_usage_error(NULL, "unknown command '%s'", argv[1]);
	rc = cmd_parse(&ctx, ctx.cmd, n, argv + 1, &n);
	if (rc >= 0)
		return rc;

	main_ctx = &ctx;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	rc = cmd_setup(&ctx);
	if (rc == EXIT_OK)
		rc = ctx.cmd->exec(&ctx, n, argv + 2);
	cmd_teardown(&ctx);

	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE) {
			cmd_error("cannot write the output: %s",
			    strerror(errno));
			if (rc == EXIT_OK)
				rc = EXIT_OUTPUT;
		}
	}
	return rc;
}
