package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xunjian/xunjian/attachment"
)

// What WriteWorkbook writes, attachment.Rows reads back.
func TestWriteWorkbook_RoundTrip(t *testing.T) {
	in := [][]string{{"账号名称", "平台"}, {"青溪发布", "微信公众号"}, {"", "微博"}}
	var b bytes.Buffer
	if err := WriteWorkbook(&b, "账号", in); err != nil {
		t.Fatal(err)
	}
	out, err := attachment.Rows("x.xlsx", b.Bytes())
	if err != nil || fmt.Sprint(out) != fmt.Sprint(in) {
		t.Errorf("%q, %v", out, err)
	}
}

// Dates written as typed cells read back as dates, not serial numbers;
// numbers stay numbers, text stays text.
func TestWriteWorkbook_TypedDatesReadBack(t *testing.T) {
	var b bytes.Buffer
	rows := [][]string{{"编号", "整改期限", "首次发现", "说明"}, {"12", "2026-12-31", "2026-11-30 09:30", "0001-01-01 08:00"}}
	if err := WriteWorkbook(&b, "问题清单", rows); err != nil {
		t.Fatal(err)
	}
	got, err := attachment.Rows("x.xlsx", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || strings.Join(got[1], "|") != "12|2026-12-31|2026-11-30 09:30|0001-01-01 08:00" {
		t.Errorf("read back %q", got)
	}
}
