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

static void
usage(FILE *fp)
{
	const struct cmd *c;

	fprintf(fp, "usage: tracestat [--db FILE] [--grammars DIR] COMMAND "
	    "[options] [args]\n\n"
	    "Store Go runtime gc and scheduler traces (GODEBUG=gctrace=1,"
	    "schedtrace=N)\nin SQLite and answer questions about them.\n\n"
	    "commands:\n");
	for (c = commands; c->name != NULL; c++)
		fprintf(fp, "  %-10s %s\n", c->name, c->summary);
	fprintf(fp, "\noptions:\n"
	    "      --db FILE        the store (default $TRACESTAT_DB or "
	    "./tracestat.db)\n"
	    "      --grammars DIR   read line shapes from DIR\n"
	    "  -h, --help           show this help\n"
	    "  -V, --version        show the version\n\n"
	    "Run 'tracestat COMMAND --help' for a command's options; see "
	    "tracestat(1).\n");
}

/* Take "--opt VALUE" or "--opt=VALUE" at argv[*i]; NULL if not it. */
static const char *
global_value(int argc, char **argv, int *i, const char *opt, int *bad)
{
	size_t n = strlen(opt);

	if (strncmp(argv[*i], opt, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*bad = 1;
		return NULL;
	}
	return argv[++*i];
}

int
main(int argc, char **argv)
{
	struct cmd_ctx ctx;
	struct sigaction sa;
	const char *v, *env;
	int i, rc, bad = 0;

	memset(&ctx, 0, sizeof ctx);
	ctx.format = OUT_TABLE;
	ctx.run = "latest";
	env = getenv("TRACESTAT_DB");
	ctx.db_path = env != NULL && *env != '\0' ? env : "tracestat.db";

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return EXIT_OK;
		}
		if (strcmp(argv[i], "-V") == 0 ||
		    strcmp(argv[i], "--version") == 0) {
			printf("tracestat %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		}
		if ((v = global_value(argc, argv, &i, "--db", &bad)) != NULL)
			ctx.db_path = v;
		else if ((v = global_value(argc, argv, &i, "--grammars",
		    &bad)) != NULL)
			ctx.grammar_dir = v;
		else if (bad)
			return cmd_usage_error(NULL, "option '%s' needs a "
			    "value", argv[i]);
		else
			return cmd_usage_error(NULL, "unknown option '%s'",
			    argv[i]);
	}
	if (i == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	ctx.cmd = cmd_find(argv[i]);
	if (ctx.cmd == NULL)
		return cmd_usage_error(NULL, "unknown command '%s'", argv[i]);

	optind = 1;
	opterr = 0;
	main_ctx = &ctx;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	rc = ctx.cmd->run(&ctx, argc - i, argv + i);

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
