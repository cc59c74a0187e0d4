package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Allowlist appends terms to the operator's allowlist (AllowFile in the
// override folder), which the next load reads: the UI's "always ignore
// this term".
type Allowlist struct {
	mu   sync.Mutex
	Path string
}

// Allow adds term, on one page when url is not "".
func (a *Allowlist) Allow(term, url string) error {
	if term == "" || strings.ContainsAny(term+url, "\t\r\n") {
		return fmt.Errorf("rules: %q cannot be a line of %s", term, a.Path)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(a.Path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(a.Path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	line := term
	if url != "" {
		line += "\t" + url
	}
	if _, err := fmt.Fprintf(f, "%s\n", line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
