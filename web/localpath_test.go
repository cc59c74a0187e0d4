package web

import "testing"

// Only a plain path on this site survives; every form a browser would
// follow elsewhere becomes "/" (issue 15: /login?next=/%09/evil.example).
func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/issues?category=typo": "/issues?category=typo",
		"/issues/12":            "/issues/12",
		"/%2F%2Fevil.example":   "/", // decodes to //evil.example: refused to be safe
		"/\t/evil.example":      "/",
		"/\n/evil.example":      "/",
		"/\r/evil.example":      "/",
		"/ /evil.example":       "/",
		"/\u00a0/evil.example":  "/",
		"/\u3000/evil.example":  "/",
		"/\\evil.example":       "/",
		"/issues\\..\\..\\evil": "/",
		"//evil.example/":       "/",
		"https://evil.example/": "/",
		"javascript:alert(1)":   "/",
		"issues":                "/",
		"":                      "/",
		"/\x00/evil.example":    "/",
		"/\x7f":                 "/",
		"/issues?q=\u200b":      "/issues?q=\u200b", // an invisible character in a query is no way off the site
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
