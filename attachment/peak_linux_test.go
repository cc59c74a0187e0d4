package attachment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The memory a bomb costs is measured in a child process (this test binary
// run again with XUNJIAN_BOMB set): its peak resident set, as the kernel
// counts it, is what the operator of `serve` sees.
func TestMain(m *testing.M) {
	if file := os.Getenv("XUNJIAN_BOMB"); file != "" {
		os.Exit(readBomb(file, os.Getenv("XUNJIAN_BOMB_AS"), os.Getenv("XUNJIAN_BOMB_ROWS") != ""))
	}
	os.Exit(m.Run())
}

// readBomb is the child: it reads the file as name says and prints what
// came of it.
func readBomb(file, name string, rows bool) int {
	data, err := os.ReadFile(file)
	if err != nil {
		fmt.Println("ERROR", err)
		return 2
	}
	start := time.Now()
	var n, size int
	if rows {
		var rs [][]string
		rs, err = Rows(name, data)
		for _, r := range rs {
			n++
			for _, c := range r {
				size += len(c)
			}
		}
	} else {
		var parts []Part
		parts, err = Text(name, data)
		for _, p := range parts {
			n++
			size += len(p.Text)
		}
	}
	tooLarge := errors.Is(err, ErrTooLarge)
	fmt.Printf("parts=%d text=%d too_large=%v took=%s err=%v\n", n, size, tooLarge, time.Since(start).Round(time.Millisecond), err)
	return 0
}

// childTimeout stops a child that does not finish: a bomb that costs time.
var childTimeout = 60 * time.Second

func init() {
	if d, err := time.ParseDuration(os.Getenv("XUNJIAN_BOMB_TIMEOUT")); err == nil {
		childTimeout = d
	}
}

// lastLines is the end of a child's output, or the line of a crash.
func lastLines(s string, n int) string {
	if i := strings.Index(s, "fatal error:"); i >= 0 {
		s, _, _ = strings.Cut(s[i:], "\n")
		return s
	}
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " / ")
}

// bombResult is what the child reported and its peak memory.
type bombResult struct {
	out    string
	maxRSS int64 // bytes
}

// readInChild reads data as name in a child process.
func readInChild(t *testing.T, name string, data []byte, rows bool) bombResult {
	t.Helper()
	file := filepath.Join(t.TempDir(), "bomb")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "XUNJIAN_BOMB="+file, "XUNJIAN_BOMB_AS="+name)
	if rows {
		cmd.Env = append(cmd.Env, "XUNJIAN_BOMB_ROWS=1")
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlives the test
	out, err := cmd.CombinedOutput()
	res := bombResult{out: strings.TrimSpace(string(out))}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.maxRSS = ru.Maxrss << 10 // KiB on Linux
		}
	}
	if err != nil {
		res.out = fmt.Sprintf("child failed (%v): %s", err, lastLines(res.out, 3))
	}
	return res
}

// Every bomb is refused as too large, within the real bounds, and the
// reading process peaks under 200 MiB. Measured without the race detector:
// its shadow memory and slowness say nothing of the build that runs
// (TestBombs_Refused covers the bombs under it).
func TestBombs_PeakMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads bombs in child processes at the real bounds")
	}
	const limit = 200 << 20
	for _, tt := range bombs {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data()
			res := readInChild(t, tt.name, data, tt.rows)
			t.Logf("%s: %d KB file, peak RSS %d MiB: %s", tt.name, len(data)>>10, res.maxRSS>>20, res.out)
			if !strings.Contains(res.out, "too_large=true") {
				t.Errorf("not refused as too large: %s", res.out)
			}
			if res.maxRSS > limit {
				t.Errorf("peak RSS %d MiB, want under %d MiB", res.maxRSS>>20, limit>>20)
			}
		})
	}
}
