/* ped: the PE router daemon. One process per router; libevent main loop for
 * the control plane (command engine, netlink, later BGP and LDP). */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bfd/bfd.h"
#include "cli/cmd.h"
#include "cli/ctl_proto.h"
#include "lib/log.h"
#include "pe/ctl.h"
#include "pe/fwd/fwd_ctl.h"
#include "pe/hitless.h"
#include "pe/metrics.h"
#include "pe/iface.h"
#include "pe/label.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/policy.h"
#include "mpbgp/speaker.h"
#include "ldp/ldpd.h"
#include "pe/ped.h"
#include "vrf/vrf.h"

struct ped ped;

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: ped [-d] [-C] [-f FILE] [-N NODE] [-S SOCKET] [-l LOGFILE] [-P PREFIX] [-v]\n"
		"  -f FILE    integrated configuration file (FRR syntax); `write memory` saves here\n"
		"  -N NODE    node name: hostname, control socket %s/NODE/ped.sock,\n"
		"             VRF namespaces named NODE-VRF\n"
		"  -C         check the configuration file and print the canonical config; exit\n"
		"  -d         run as a daemon (default: foreground)\n"
		"  -S SOCKET  control socket path (default from -N)\n"
		"  -P PREFIX  prefix of VRF namespace names (default \"NODE-\" with -N, else \"\")\n"
		"  -l FILE    log to FILE instead of stderr\n"
		"  -v         debug logging\n"
		"example:\n"
		"  ped -f /etc/pe/pe1.conf -N pe1 &  pesh -N pe1 -c 'show ip route vrf all'\n",
		ctl_default_rundir());
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	(void)arg;
	log_info("signal %d: shutting down", (int)sig);
	event_base_loopbreak(ped.base);
}

static void print_stdout(void *arg, const char *buf, size_t len)
{
	(void)arg;
	fwrite(buf, 1, len, stdout);
}

static int write_pidfile(const char *path)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL)
		return -1;
	fprintf(fp, "%ld\n", (long)getpid());
	return fclose(fp);
}

int main(int argc, char **argv)
{
	const char *sock = NULL, *logfile = NULL, *prefix = NULL;
	char sockbuf[512], pidfile[600];
	bool daemonize = false, check = false, debug = false;
	struct event *sigev[3];
	struct ctl *ctl;
	int ch, errors, i;

	while ((ch = getopt(argc, argv, "dCf:N:S:l:P:vh")) != -1) {
		switch (ch) {
		case 'd': daemonize = true; break;
		case 'C': check = true; break;
		case 'f': snprintf(ped.config_file, sizeof(ped.config_file), "%s", optarg); break;
		case 'N': snprintf(ped.node, sizeof(ped.node), "%s", optarg); break;
		case 'S': sock = optarg; break;
		case 'l': logfile = optarg; break;
		case 'P': prefix = optarg; break;
		case 'v': debug = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}
	if (ped.node[0] && strchr(ped.node, '/') != NULL) {
		fprintf(stderr, "ped: node name must not contain '/'\n");
		return 1;
	}
	log_init("ped", !daemonize, debug);
	if (logfile)
		log_set_file(logfile);
	snprintf(ped.hostname, sizeof(ped.hostname), "%s", ped.node[0] ? ped.node : "ped");
	if (prefix != NULL)
		snprintf(ped.netns_prefix, sizeof(ped.netns_prefix), "%s", prefix);
	else if (ped.node[0])
		snprintf(ped.netns_prefix, sizeof(ped.netns_prefix), "%s-", ped.node);

	ped_modules_init();
	if (!check)
		hitless_open(); /* before anything takes a label */

	/* Nothing reaches the kernel until the whole file has been accepted. */
	ped.kernel_apply = false;
	if (ped.config_file[0] && (access(ped.config_file, F_OK) == 0 || check)) {
		errors = config_load(ped.config_file);
		if (errors != 0) {
			if (errors > 0)
				fprintf(stderr, "%s: %d error%s, nothing applied\n", ped.config_file,
					errors, errors == 1 ? "" : "s");
			return 1;
		}
	}
	if (check) {
		struct cli *cli = cli_new(print_stdout, NULL);

		config_write(cli, true);
		cli_free(cli);
		return 0;
	}

	if (daemonize && daemon(0, 0) != 0)
		fatal("daemon");
	signal(SIGPIPE, SIG_IGN);
	ped.base = event_base_new();
	if (ped.base == NULL)
		fatalx("event_base_new");
	ped.kernel_apply = true;
	for (struct vrf *v = vrf_first(); v != NULL; v = vrf_next(v)) {
		char err[200];

		if (iface_vrf_ns_start(v, err, sizeof(err)) != 0)
			log_warnx("VRF %s: %s", v->name, err);
	}
	core_start();
	iface_apply_all();
	speaker_start(ped.base);
	ldpd_start(ped.base);
	bfd_start(ped.base);
	fwd_ctl_start();
	hitless_start(ped.base);
	metrics_start(ped.base);

	if (sock == NULL) {
		ctl_socket_path(sockbuf, sizeof(sockbuf), ped.node[0] ? ped.node : NULL);
		sock = sockbuf;
	}
	if ((ctl = ctl_start(ped.base, sock, ped.hostname)) == NULL)
		fatalx("cannot listen on %s", sock);
	snprintf(pidfile, sizeof(pidfile), "%.*s.pid", (int)(strlen(sock) - 5), sock);
	if (strlen(sock) > 5 && strcmp(sock + strlen(sock) - 5, ".sock") == 0)
		write_pidfile(pidfile);
	else
		pidfile[0] = '\0';

	sigev[0] = evsignal_new(ped.base, SIGTERM, on_signal, NULL);
	sigev[1] = evsignal_new(ped.base, SIGINT, on_signal, NULL);
	sigev[2] = evsignal_new(ped.base, SIGHUP, on_signal, NULL);
	for (i = 0; i < 3; i++)
		event_add(sigev[i], NULL);
	log_info("ped %s started (node %s, %d VRFs)", PACKAGE_VERSION,
		 ped.node[0] ? ped.node : "-", vrf_count());

	event_base_dispatch(ped.base);

	ctl_stop(ctl);
	if (hitless_keep())
		speaker_close_quietly(); /* helpers keep our routes (RFC 4724) */
	ped_modules_fini();
	for (i = 0; i < 3; i++)
		event_free(sigev[i]);
	event_base_free(ped.base);
	if (pidfile[0])
		unlink(pidfile);
	log_info("ped stopped");
	return 0;
}
