package reports

import (
	"errors"
	"io"
)

// WriteNoticeDOCX is a stand-in until the writer lands (not committed).
func WriteNoticeDOCX(w io.Writer, n Notice) error { return errors.New("not yet") }
