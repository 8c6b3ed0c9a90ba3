package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/japan-dprk/timeline/data"
	"github.com/japan-dprk/timeline/timeline"
)

// crashSeed fixes the moments of the kills, so that a failure can be
// replayed (the server's own timing still varies from run to run).
const crashSeed = 20021017

// buildBinary builds the real timeline binary, without cgo, into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: cannot build the binary")
	}
	bin := filepath.Join(dir, "timeline")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// cliRun runs the binary with args and stdin and returns its standard output.
func cliRun(t *testing.T, bin, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("timeline %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// freeAddr returns a local address with a port that was free a moment ago;
// the server is restarted on it after every kill.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// crashServer is a running "timeline serve" child process.
type crashServer struct {
	t    *testing.T
	bin  string
	db   string
	addr string
	log  *os.File
	cmd  *exec.Cmd
}

// start starts the server and waits until /readyz says its database answers.
func (s *crashServer) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "serve", "--db", s.db, "--addr", s.addr)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Get("http://" + s.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.kill()
	s.t.Fatalf("the server did not become ready within 20s; its log:\n%s", s.logTail())
}

// kill ends the server with SIGKILL: no shutdown, no cleanup.
func (s *crashServer) kill() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// stop ends the server with SIGTERM and expects a clean exit.
func (s *crashServer) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		s.t.Errorf("the server did not shut down cleanly on SIGTERM: %v\n%s", err, s.logTail())
	}
}

func (s *crashServer) logTail() string {
	b, _ := os.ReadFile(s.log.Name())
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// crashEvent is the content of event slug at version v. Every version
// differs in its title, sources, actor role, tags and body length, so a
// mixture of two versions, or a version missing its children, shows.
func crashEvent(slug string, v int) timeline.Event {
	e := timeline.Event{
		Slug:         slug,
		Start:        timeline.MustDate("2032-06-01"),
		Title:        fmt.Sprintf("Crash test %s revision %d", slug, v),
		Summary:      fmt.Sprintf("Revision %d of a crash-test event.", v),
		Body:         strings.TrimSpace(strings.Repeat(fmt.Sprintf("Revision %d. ", v), 100+200*(v%4))),
		Category:     "negotiation",
		Significance: 1 + v%3,
		Actors:       []timeline.EventActor{{Actor: timeline.Actor{Slug: "abe-shinzo"}, Role: fmt.Sprintf("host in revision %d", v)}},
		Tags:         []string{"crash-test", fmt.Sprintf("rev-%d", v)},
	}
	for i := range 1 + v%3 {
		e.Sources = append(e.Sources, timeline.Source{Publisher: "Crash wire", Title: fmt.Sprintf("Source %d of revision %d", i, v)})
	}
	return e
}

// checkCrashEvent reports how e differs from crashEvent(e.Slug, e.Version).
func checkCrashEvent(e timeline.Event) error {
	want := crashEvent(e.Slug, e.Version)
	var problems []string
	if e.Title != want.Title || e.Summary != want.Summary || e.Body != want.Body || e.Significance != want.Significance {
		problems = append(problems, fmt.Sprintf("title %q, summary %q, body of %d bytes", e.Title, e.Summary, len(e.Body)))
	}
	if len(e.Sources) != len(want.Sources) {
		problems = append(problems, fmt.Sprintf("%d sources, want %d", len(e.Sources), len(want.Sources)))
	} else {
		for i := range e.Sources {
			if e.Sources[i].Title != want.Sources[i].Title {
				problems = append(problems, fmt.Sprintf("source %d is %q", i, e.Sources[i].Title))
			}
		}
	}
	if len(e.Actors) != 1 || e.Actors[0].Slug != "abe-shinzo" || e.Actors[0].Role != want.Actors[0].Role || e.Actors[0].Name == "" {
		problems = append(problems, fmt.Sprintf("actors %+v", e.Actors))
	}
	if !slices.Equal(e.Tags, want.Tags) {
		problems = append(problems, fmt.Sprintf("tags %v, want %v", e.Tags, want.Tags))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s at version %d: %s", e.Slug, e.Version, strings.Join(problems, "; "))
	}
	return nil
}

// crashLedger records what the writers sent and what the server acknowledged.
type crashLedger struct {
	mu    sync.Mutex
	sent  map[string]bool // every slug ever sent in a create
	acked map[string]int  // the highest acknowledged version of each slug
	n     int             // acknowledged writes
}

func (l *crashLedger) send(slug string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent[slug] = true
}

func (l *crashLedger) ack(slug string, v int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acked[slug] = v
	l.n++
}

// crashClient sends event writes with a bearer token.
type crashClient struct {
	base, token string
	http        *http.Client
}

// send sends e as JSON and decodes a 2xx answer into an event. err is set
// only when no answer came (the server was killed or not yet up).
func (c *crashClient) send(method, path string, e timeline.Event) (int, timeline.Event, string, error) {
	body, _ := json.Marshal(e)
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, timeline.Event{}, "", err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, timeline.Event{}, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, timeline.Event{}, "", err // cut off mid-answer: not an acknowledgement
	}
	var got timeline.Event
	if resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(b, &got); err != nil {
			return 0, timeline.Event{}, "", fmt.Errorf("decode %s: %w", b, err)
		}
	}
	return resp.StatusCode, got, string(b), nil
}

// get fetches path and decodes a 200 answer into v.
func (c *crashClient) get(t *testing.T, path string, v any) int {
	t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, b)
		}
	}
	return resp.StatusCode
}

// writeLoop creates events and updates each a few times at the version it
// read, until stop closes. A request without an answer leaves that event's
// fate unknown, so the writer moves on to a new event.
func writeLoop(t *testing.T, c *crashClient, l *crashLedger, g int, stop <-chan struct{}) {
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return false
		}
	}
	for n := 0; !stopped(); n++ {
		slug := fmt.Sprintf("crash-g%d-%d", g, n)
		l.send(slug)
		status, got, body, err := c.send("POST", "/api/v1/events", crashEvent(slug, 1))
		if err != nil {
			time.Sleep(10 * time.Millisecond) // the server is down; it comes back
			continue
		}
		if status != http.StatusCreated || got.Version != 1 {
			t.Errorf("create %s: status %d, version %d: %s", slug, status, got.Version, body)
			return
		}
		l.ack(slug, 1)
		for v := 1; v < 5 && !stopped(); v++ {
			next := crashEvent(slug, v+1)
			next.Version = v
			status, got, body, err := c.send("PUT", "/api/v1/events/"+slug, next)
			if err != nil {
				time.Sleep(10 * time.Millisecond)
				break
			}
			if status != http.StatusOK || got.Version != v+1 {
				t.Errorf("update %s at version %d: status %d, version %d: %s", slug, v, status, got.Version, body)
				return
			}
			l.ack(slug, v+1)
		}
	}
}

func TestCrashSafetyUnderSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it repeatedly: skipped with -short")
	}
	ctx := context.Background()
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	db := filepath.Join(dir, "crash.db")
	cliRun(t, bin, "", "init", "--db", db)
	cliRun(t, bin, "a long enough passphrase 42\n", "user", "add", "--db", db, "--role", "editor", "crash-editor")
	token := strings.TrimSpace(cliRun(t, bin, "", "token", "add", "--db", db, "crash-editor"))
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	srv := &crashServer{t: t, bin: bin, db: db, addr: freeAddr(t), log: logFile}
	srv.start()

	client := &crashClient{base: "http://" + srv.addr, token: token, http: &http.Client{Timeout: 5 * time.Second}}
	l := &crashLedger{sent: map[string]bool{}, acked: map[string]int{}}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() { writeLoop(t, client, l, g, stop) })
	}

	rng := rand.New(rand.NewPCG(crashSeed, crashSeed))
	kills := 8 + rng.IntN(5)
	for i := range kills {
		time.Sleep(time.Duration(50+rng.IntN(351)) * time.Millisecond)
		srv.kill()
		if i < kills-1 {
			srv.start()
		}
	}
	// The last kill came with writes in flight; the writers give up.
	close(stop)
	wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	t.Logf("%d kills; %d writes acknowledged over %d events", kills, l.n, len(l.acked))
	if len(l.acked) < kills {
		t.Fatalf("only %d events acknowledged: the writers did not get going", len(l.acked))
	}

	// The file as the last kill left it is sound.
	if err := timeline.Verify(ctx, db); err != nil {
		t.Fatalf("after the last kill: %v", err)
	}

	srv.start()
	// Every event the server lists is one that was sent, and whole.
	ds, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	shipped := 0
	path := "/api/v1/events?limit=500"
	for {
		var page struct {
			Events     []timeline.Event `json:"events"`
			NextCursor *string          `json:"next_cursor"`
		}
		if st := client.get(t, path, &page); st != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, st)
		}
		for _, e := range page.Events {
			listed[e.Slug] = true
			if !strings.HasPrefix(e.Slug, "crash-") {
				shipped++
				continue
			}
			if !l.sent[e.Slug] {
				t.Errorf("%s exists but was never sent", e.Slug)
			}
		}
		if page.NextCursor == nil {
			break
		}
		path = "/api/v1/events?limit=500&cursor=" + *page.NextCursor
	}
	if shipped != len(ds.Events) {
		t.Errorf("%d shipped events listed, want %d", shipped, len(ds.Events))
	}
	// Every acknowledged write is there, at its version or a later one
	// (a write may have committed with its answer lost to the kill).
	for slug, v := range l.acked {
		if !listed[slug] {
			t.Errorf("%s was acknowledged at version %d but is not listed", slug, v)
		}
	}
	for slug := range listed {
		if !strings.HasPrefix(slug, "crash-") {
			continue
		}
		var e timeline.Event
		if st := client.get(t, "/api/v1/events/"+slug, &e); st != http.StatusOK {
			t.Errorf("GET %s: status %d", slug, st)
			continue
		}
		if err := checkCrashEvent(e); err != nil {
			t.Error(err)
		}
		if e.Version < l.acked[slug] {
			t.Errorf("%s is at version %d, but version %d was acknowledged", slug, e.Version, l.acked[slug])
		}
	}
	srv.stop()
	if err := timeline.Verify(ctx, db); err != nil {
		t.Fatalf("after a clean shutdown: %v", err)
	}
	if t.Failed() {
		t.Logf("server log (end):\n%s", srv.logTail())
	}
}
