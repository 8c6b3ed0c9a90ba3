package web

import (
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// ParseTrustedProxy reads a proxy address for Config.TrustedProxies: an IP
// ("10.0.0.2") or a CIDR range ("10.0.0.0/24").
func ParseTrustedProxy(s string) (*net.IPNet, error) {
	s = strings.TrimSpace(s)
	if _, n, err := net.ParseCIDR(s); err == nil {
		return n, nil
	}
	ip := net.ParseIP(s)
	if ip == nil {
		return nil, fmt.Errorf("trusted proxy %q: must be an IP address or a CIDR range", s)
	}
	bits := 32
	if ip.To4() == nil {
		bits = 128
	}
	return &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}, nil
}

// fromTrustedProxy reports whether the request's connection comes from a
// --trusted-proxy, whose forwarded headers are believed.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if n, err := ParseTrustedProxy(p); err == nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// ipExtractor decides the client address that rate limits and the audit
// log use. X-Forwarded-For is believed only from the configured proxies;
// without any, the connection's address is the client's.
func (s *Server) ipExtractor() echo.IPExtractor {
	var opts []echo.TrustOption
	for _, p := range s.cfg.TrustedProxies {
		n, err := ParseTrustedProxy(p)
		if err != nil {
			s.log.Error("ignoring trusted proxy", "err", err)
			continue
		}
		opts = append(opts, echo.TrustIPRange(n))
	}
	if len(opts) == 0 {
		return echo.ExtractIPDirect()
	}
	opts = append(opts, echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))
	return echo.ExtractIPFromXFFHeader(opts...)
}
