package main

import (
	"net"
	"testing"
)

func TestBaseURLOfListenAddress(t *testing.T) {
	for _, tt := range []struct{ addr, want string }{
		{"127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"0.0.0.0:80", "http://localhost:80"},
		{"[::]:8080", "http://localhost:8080"},
		{"[::1]:9000", "http://[::1]:9000"},
		{"192.0.2.7:8080", "http://192.0.2.7:8080"},
	} {
		a, err := net.ResolveTCPAddr("tcp", tt.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := baseURLOf(a); got != tt.want {
			t.Errorf("baseURLOf(%s) = %s, want %s", tt.addr, got, tt.want)
		}
	}
}
