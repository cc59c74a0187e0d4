package attachment

import (
	"errors"
	"strings"
	"testing"

	"github.com/xunjian/xunjian/demosite"
)

func TestText(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		where string
		want  string
	}{
		{"名册.docx", demosite.Docx("低保对象名册", "张某 11010519491231002X 城东街道"), "正文", "张某 11010519491231002X 城东街道"},
		{"名册.xlsx", demosite.Xlsx("名册", [][]string{{"姓名", "身份证号码"}, {"张某", "11010519491231002X"}}), "工作表“名册”", "张某\t11010519491231002X"},
		{"公示.pdf", demosite.PDF("Name: Zhang", "ID: 11010519491231002X"), "第1页", "11010519491231002X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts, err := Text(tt.name, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if len(parts) != 1 || parts[0].Where != tt.where || !strings.Contains(parts[0].Text, tt.want) {
				t.Errorf("parts %+v", parts)
			}
		})
	}
}

func TestText_BadInput(t *testing.T) {
	for _, name := range []string{"a.docx", "a.xlsx", "a.pdf"} {
		if _, err := Text(name, []byte("not a document at all")); err == nil {
			t.Errorf("%s: damaged file read without error", name)
		}
	}
	if _, err := Text("a.xls", []byte{0xd0, 0xcf}); !errors.Is(err, ErrNotRead) {
		t.Errorf(".xls: %v", err)
	}
	if Readable("a.doc") || !Readable("A.PDF") {
		t.Error("Readable")
	}
}

func FuzzText(f *testing.F) {
	f.Add("a.pdf", demosite.PDF("x"))
	f.Add("a.docx", demosite.Docx("x"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		Text(name, data) // never panics
	})
}
