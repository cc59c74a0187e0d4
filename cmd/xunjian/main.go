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
	"syscall"
	_ "time/tzdata" // Asia/Shanghai on machines without a zoneinfo database
)

const usage = `xunjian —— 政府网站与政务新媒体巡检 (government website compliance monitor)

Usage:
  xunjian demo   [--ui 127.0.0.1:8080] [--exit]           scan the built-in sample district site, open the staff UI
  xunjian serve  --config xunjian.yaml                    the staff UI, and unattended: nightly scans, probes, weekly digests
  xunjian scan   --config xunjian.yaml [--target NAME]    scan the configured sites and accounts now
  xunjian probe  --config xunjian.yaml [--target NAME]    probe each home page once (availability)
  xunjian issues --config xunjian.yaml [--status unresolved|all|open|assigned|…] [--category C] [--target NAME]
                 [--format table|json|csv|xlsx] [--output FILE]
  xunjian columns --config xunjian.yaml [--target NAME]   the column register (to correct in the config)
  xunjian issues ignore ID --reason "…"                   mark a false positive
  xunjian issues reopen ID [--reason "…"]                 reopen an ignored or closed issue
  xunjian accounts import FILE | export FILE | list      the new-media account register (.xlsx/.csv)
  xunjian digest --config xunjian.yaml [--dry-run] [--week 2026-W48] [--out DIR]  weekly digests to each unit
  xunjian check  [FILE|-] [--format table|json] [--rules DIR]  check a text (or HTML) before publishing
  xunjian rules check [DIR]                               validate rule files (errors as file:line)
  xunjian users add NAME [--role admin|staff] | reset NAME | disable NAME | enable NAME | list
                                                          who may sign in to the staff UI
  xunjian backup FILE --config xunjian.yaml               a consistent copy of the database (also while serve runs)
  xunjian version

Run "xunjian COMMAND -h" for a command's flags.
`

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
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
	case "digest":
		err = cmdDigest(ctx, args[1:], stdout, stderr)
	case "probe":
		err = cmdProbe(ctx, args[1:], stdout, stderr)
	case "users":
		err = cmdUsers(ctx, args[1:], stdout, stderr)
	case "backup":
		err = cmdBackup(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "xunjian", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
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
		fmt.Fprintf(stderr, "xunjian: %s\n\n%s", ue.msg, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "xunjian: %v\n", err)
		return 1
	}
}
