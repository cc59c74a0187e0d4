package mail

import (
	"bytes"
	"context"
	"mime"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/mail/mailtest"
)

func startRelay(t *testing.T) (*mailtest.Relay, Config) {
	r := mailtest.Start(t)
	return r, Config{Host: "127.0.0.1", Port: r.Port, Security: "none", From: "区政府办公室网站巡检 <xunjian@qxq.gov.cn>",
		ReplyTo: "zwgk@qxq.gov.cn", Timeout: 5 * time.Second}
}

func TestSend_RealRelay(t *testing.T) {
	r, cfg := startRelay(t)
	at := time.Date(2026, 11, 30, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	msgs := []Message{
		{To: "wjw@qxq.gov.cn", Subject: "【网站巡检周报】区卫健委 2026年第48周：待整改 3 项（新增 1 项）", Text: "区卫健委：\n待整改 3 项", HTML: "<p>区卫健委：待整改 <b>3</b> 项</p>"},
		{To: "gone@qxq.gov.cn", Subject: "【网站巡检周报】区教育局", Text: "x"},
		{To: "jy@qxq.gov.cn", Subject: "【网站巡检周报】区教育局 2026年第48周：待整改 1 项（新增 0 项）", Text: "区教育局", HTML: "<p>区教育局</p>"},
	}
	results, err := Send(context.Background(), cfg, msgs, at)
	if err != nil {
		t.Fatal(err)
	}
	if results[0].Err != nil || results[2].Err != nil {
		t.Errorf("good addresses failed: %v / %v", results[0].Err, results[2].Err)
	}
	if results[1].Err == nil || results[1].Temporary {
		t.Errorf("a rejected address must be a permanent failure: %+v", results[1])
	}
	if len(r.Received("jy@qxq.gov.cn")) != 1 {
		t.Error("the rejection of one address stopped the others")
	}
	got := r.Received("wjw@qxq.gov.cn")
	if len(got) != 1 {
		t.Fatalf("%d messages for wjw", len(got))
	}
	m, err := netmail.ReadMessage(bytes.NewReader(got[0]))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	from, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("From"))
	if subject != msgs[0].Subject || !strings.Contains(from, "区政府办公室网站巡检") || !strings.Contains(m.Header.Get("Reply-To"), "zwgk@qxq.gov.cn") {
		t.Errorf("subject %q from %q reply-to %q", subject, from, m.Header.Get("Reply-To"))
	}
	if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Errorf("content type %q: want text and HTML alternatives", ct)
	}
}

func TestSend_ServerDown(t *testing.T) {
	cfg := Config{Host: "127.0.0.1", Port: 1, Security: "none", From: "x@qxq.gov.cn", Timeout: time.Second}
	results, err := Send(context.Background(), cfg, []Message{{To: "a@qxq.gov.cn", Subject: "s", Text: "t"}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if results[0].Err == nil || !results[0].Temporary {
		t.Errorf("an unreachable relay is a temporary failure: %+v", results[0])
	}
}

func TestWriteEML(t *testing.T) {
	var b bytes.Buffer
	err := WriteEML(&b, Config{From: "xunjian@qxq.gov.cn"}, Message{To: "wjw@qxq.gov.cn", Subject: "【网站巡检周报】区卫健委", Text: "正文", HTML: "<p>正文</p>"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	m, err := netmail.ReadMessage(&b)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); s != "【网站巡检周报】区卫健委" {
		t.Errorf("subject %q", s)
	}
}
