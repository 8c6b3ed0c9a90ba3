package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestImportSlotsArePerEditor: one editor's uploads never push out
// another's checked upload.
func TestImportSlotsArePerEditor(t *testing.T) {
	env := newShippedEnv(t)
	alice, bob := env.editorCookie(t, "alice"), env.editorCookie(t, "bob")
	file := `{"events":[]}`
	status, body := env.upload(t, bob, "bob.json", file, nil)
	m := tokenRE.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		t.Fatalf("bob's upload: status %d", status)
	}
	for range 40 {
		if status, _ := env.upload(t, alice, "alice.json", file, nil); status != http.StatusOK {
			t.Fatalf("alice's upload: status %d", status)
		}
	}
	resp, _ := env.do(t, "POST", "/import/confirm", strings.NewReader("token="+m[1]), "Content-Type", "application/x-www-form-urlencoded", "Cookie", bob)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("bob's confirm after alice's 40 uploads: status %d, want 200", resp.StatusCode)
	}
}

// TestImportListsTheFirstProblems: a file with thousands of problems gets
// a small page: the first 100 and how many there are.
func TestImportListsTheFirstProblems(t *testing.T) {
	env := newShippedEnv(t)
	alice := env.editorCookie(t, "alice")
	file := "[" + strings.TrimSuffix(strings.Repeat("{},", 5000), ",") + "]"
	status, body := env.upload(t, alice, "many.json", file, nil)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", status)
	}
	if n := strings.Count(body, `data-testid="import-problem"`); n != 100 {
		t.Errorf("%d problems listed, want the first 100", n)
	}
	if !strings.Contains(body, "and 14900 more") && !strings.Contains(body, "more problems") {
		t.Errorf("the page does not say how many more problems there are")
	}
	if len(body) > 200<<10 {
		t.Errorf("the page is %d KB", len(body)>>10)
	}
}
