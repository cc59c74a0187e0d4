// Command xunjian patrols a government website and its new-media accounts
// for the problems the national inspection indicators penalise. See the
// README for the sub-commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // Asia/Shanghai on machines without a zoneinfo database
)

const usage = `xunjian —— 政府网站与政务新媒体巡检 (government website compliance monitor)

Usage:
  xunjian demo   [--ui 127.0.0.1:8080] [--exit]           scan the built-in sample district site, open the staff UI
  xunjian serve  --config xunjian.yaml                    the staff UI, and unattended: nightly scans, probes, weekly digests
  xunjian worker --config xunjian.yaml                    PostgreSQL: run the jobs serve enqueues (as many as you like, on any machine)
  xunjian scan   --config xunjian.yaml [--target NAME] [--nightly]   scan now (in full; --nightly: as the schedule patrols)
  xunjian probe  --config xunjian.yaml [--target NAME]    probe each home page once (availability)
  xunjian issues --config xunjian.yaml [--status unresolved|all|open|assigned|…] [--category C] [--target NAME]
                 [--format table|json|csv|xlsx] [--output FILE]
  xunjian columns --config xunjian.yaml [--target NAME]   the column register (to correct in the config)
  xunjian issues ignore ID --reason "…"                   mark a false positive
  xunjian issues reopen ID [--reason "…"]                 reopen an ignored or closed issue
  xunjian accounts import FILE | export FILE | list      the new-media account register (.xlsx/.csv)
  xunjian digest --config xunjian.yaml [--dry-run] [--week 2026-W48] [--out DIR]  weekly digests to each unit
  xunjian report --config xunjian.yaml [--period 2026-Q4] [--format docx|xlsx] --output FILE
                                                          the notice (通报): projected scores, problems, unit ranking, charts
  xunjian check  [FILE|-] [--format table|json] [--rules DIR]  check a text (or HTML) before publishing
  xunjian rules check [DIR]                               validate rule files (errors as file:line)
  xunjian users add NAME [--role admin|staff|owner --unit 单位] | reset NAME | disable NAME | enable NAME | list
                                                          who may sign in to the staff UI (owner: one unit's issues)
  xunjian backup FILE --config xunjian.yaml               a consistent copy of the database (also while serve runs)
  xunjian migrate --from xunjian.db --to postgres://… [--tenant 青溪区]   copy a district's history into a city's (empty) PostgreSQL database
  xunjian version

Run "xunjian COMMAND -h" for a command's flags.
`

// version is set at build time with -ldflags "-X main.version=…"; else
// the module version the binary was built as.
var version = ""

// versionLine is the version with the commit it was built from, as Go
// records it in the binary: "xunjian v1.2.0 (commit 8f8e36c, 2026-12-01)".
func versionLine() string {
	v, commit, when, modified := version, "", "", false
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	line := "xunjian " + v
	if commit != "" {
		line += " (commit " + commit[:min(len(commit), 7)]
		if len(when) >= 10 {
			line += ", " + when[:10]
		}
		if modified {
			line += ", with uncommitted changes"
		}
		line += ")"
	}
	return line + ", " + runtime.Version()
}

// gcPercent is the garbage collector's pace unless GOGC says otherwise: a
// scan's memory is what it keeps of the site until its results are saved,
// and collecting when the heap has grown by half of it rather than all of
// it keeps a 100,000-page crawl under 400 MB for a few per cent of CPU
// (bench/nightly.sh; README, Benchmark).
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C ends the process at once
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// exitError ends a command with its own status (xunjian check: 1 when the
// draft has problems, 2 when it could not be checked); msg, when set, goes
// to stderr.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run is the whole program, testable: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "demo":
		err = cmdDemo(ctx, args[1:], stdout, stderr)
	case "scan":
		err = cmdScan(ctx, args[1:], stdout, stderr)
	case "issues":
		err = cmdIssues(ctx, args[1:], stdout, stderr)
	case "rules":
		err = cmdRules(args[1:], stdout, stderr)
	case "check":
		err = cmdCheck(ctx, args[1:], os.Stdin, stdout, stderr)
	case "columns":
		err = cmdColumns(ctx, args[1:], stdout, stderr)
	case "accounts":
		err = cmdAccounts(ctx, args[1:], stdout, stderr)
	case "serve":
		err = cmdServe(ctx, args[1:], stdout, stderr)
	case "worker":
		err = cmdWorker(ctx, args[1:], stdout, stderr)
	case "digest":
		err = cmdDigest(ctx, args[1:], stdout, stderr)
	case "probe":
		err = cmdProbe(ctx, args[1:], stdout, stderr)
	case "users":
		err = cmdUsers(ctx, args[1:], stdout, stderr)
	case "report":
		err = cmdReport(ctx, args[1:], stdout, stderr)
	case "backup":
		err = cmdBackup(ctx, args[1:], stdout, stderr)
	case "migrate":
		err = cmdMigrate(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, versionLine())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "xunjian: unknown command %q\nRun \"xunjian help\" for the commands.\n", args[0])
		return 2
	}
	var ue usageError
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintf(stderr, "xunjian: %s\n", ee.msg)
		}
		return ee.code
	case errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "xunjian: %s\nRun \"xunjian help\" for the commands, \"xunjian %s -h\" for this command's flags.\n", ue.msg, args[0])
		return 2
	default:
		fmt.Fprintf(stderr, "xunjian: %v\n", err)
		return 1
	}
}
