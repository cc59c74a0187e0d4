package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"
)

// A scan holds its target through a lease in the database, so that one
// target is scanned once at a time whichever process starts the scan (the
// CLI, the UI's 立即扫描, the nightly job): StartScan takes the lease,
// RenewScan keeps it while the scan runs, FinishScan and FailScan give it
// back. A lease not renewed for LeaseTTL belonged to a process that died.
const (
	LeaseTTL       = 2 * time.Minute  // a lease not renewed for this long has expired
	LeaseHeartbeat = 30 * time.Second // how often a running scan renews its lease
)

// Lease errors.
var (
	// ErrScanning: another scan holds the target (see ScanningError).
	ErrScanning = errors.New("store: the target is being scanned")
	// ErrLeaseLost: the scan's lease expired and another scan took the
	// target over (the process stalled past LeaseTTL); nothing of the scan
	// is saved.
	ErrLeaseLost = errors.New("store: the scan lost its target to another scan")
)

// ScanningFormat is the Chinese refusal of a scan whose target is being
// scanned, with the running scan's start (the UI translates it).
const ScanningFormat = "该对象正在扫描中（开始于 %s），请稍后再试"

// ScanningError refuses a scan: another scan of the target, of the same
// kind, holds it.
type ScanningError struct {
	Target string    // the target's name
	Kind   string    // KindCrawl or KindProbe
	ScanID int64     // the running scan
	Since  time.Time // when it started
	Holder string    // its host and process id
}

func (e *ScanningError) Error() string {
	scan := e.Kind
	if e.ScanID != 0 {
		scan = fmt.Sprintf("%s #%d", e.Kind, e.ScanID)
	}
	return fmt.Sprintf("store: %s is being scanned (%s, started %s by %s); try again later",
		e.Target, scan, e.Since.UTC().Format(time.RFC3339), e.Holder)
}

// Is makes errors.Is(err, ErrScanning) hold.
func (e *ScanningError) Is(target error) bool { return target == ErrScanning }

// Message is the refusal for staff, in Chinese, its time in loc.
func (e *ScanningError) Message(loc *time.Location) string {
	return fmt.Sprintf(ScanningFormat, e.Since.In(loc).Format("2006-01-02 15:04"))
}

// holder names this process in the leases it takes.
var holder = func() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s pid %d", host, os.Getpid())
}()

// StartScan records the start of a scan of a kind and takes the target's
// lease for it, in one transaction. While another scan holds a live lease
// on the target (and kind) the scan is refused with a *ScanningError. An
// expired lease is taken over, and the scans of the target still marked
// running — their process died — are marked interrupted: what they found
// was never written, so nothing is lost.
func (s *Store) StartScan(ctx context.Context, targetID int64, kind string, now time.Time) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.wrap("begin scan", err)
	}
	defer tx.Rollback()
	var held ScanningError
	var acquired, expires string
	err = tx.QueryRowContext(ctx, `SELECT t.name, l.kind, l.scan_id, l.holder, l.acquired_at, l.expires_at
		FROM scan_leases l JOIN targets t ON t.id = l.target_id WHERE l.target_id = ? AND l.kind = ?`, targetID, kind).
		Scan(&held.Target, &held.Kind, &held.ScanID, &held.Holder, &acquired, &expires)
	switch {
	case err == nil && parseTime(expires).After(now):
		held.Since = parseTime(acquired)
		return 0, &held
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return 0, s.wrap("read scan lease", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE scans SET status = ?, finished_at = ?, note = ?
		WHERE target_id = ? AND kind = ? AND status = ?`, ScanInterrupted, formatTime(now), interruptedNote,
		targetID, kind, ScanRunning); err != nil {
		return 0, s.wrap("close stale scans", err)
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO scans (target_id, kind, started_at, status) VALUES (?, ?, ?, ?) RETURNING id`,
		targetID, kind, formatTime(now), ScanRunning).Scan(&id); err != nil {
		return 0, s.wrap("start scan", err)
	}
	// Taken only when free or expired, in the one statement: on
	// PostgreSQL, two processes that both read no lease above meet here,
	// and the second waits for the first and then takes nothing.
	res, err := tx.ExecContext(ctx, `INSERT INTO scan_leases (target_id, kind, scan_id, holder, acquired_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (target_id, kind) DO UPDATE SET scan_id = excluded.scan_id,
		holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
		WHERE scan_leases.expires_at <= excluded.acquired_at`,
		targetID, kind, id, holder, formatTime(now), formatTime(now.Add(s.leaseTTL)))
	if err != nil {
		return 0, s.wrap("take scan lease", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		tx.Rollback()
		return 0, s.heldLease(ctx, targetID, kind)
	}
	return id, s.wrap("commit", tx.Commit())
}

// heldLease is the refusal of a scan whose target another scan holds.
func (s *Store) heldLease(ctx context.Context, targetID int64, kind string) error {
	var held ScanningError
	var acquired string
	err := s.db.QueryRowContext(ctx, `SELECT t.name, l.kind, l.scan_id, l.holder, l.acquired_at
		FROM scan_leases l JOIN targets t ON t.id = l.target_id WHERE l.target_id = ? AND l.kind = ?`, targetID, kind).
		Scan(&held.Target, &held.Kind, &held.ScanID, &held.Holder, &acquired)
	if err != nil {
		return s.wrap("read scan lease", err)
	}
	held.Since = parseTime(acquired)
	return &held
}

// interruptedNote is the note of a scan whose process died.
const interruptedNote = "扫描进程意外结束，本次结果未保存"

// RenewScan extends a running scan's lease on its target by the lease's
// lifetime from now (the heartbeat). ErrLeaseLost when the lease expired
// and another scan took the target over.
func (s *Store) RenewScan(ctx context.Context, scanID int64, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE scan_leases SET expires_at = ? WHERE scan_id = ?`,
		formatTime(now.Add(s.leaseTTL)), scanID)
	if err != nil {
		return s.wrap("renew scan lease", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w (scan #%d)", ErrLeaseLost, scanID)
	}
	return nil
}

// releaseScan gives a scan's lease back (in the transaction that ends it).
func releaseScan(ctx context.Context, tx *txn, scanID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM scan_leases WHERE scan_id = ?`, scanID)
	return err
}
