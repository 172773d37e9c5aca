package chatwhizz

import (
	"fmt"
	"testing"
)

func TestConfigIsCheckedWithoutNetwork(t *testing.T) {
	cases := map[string]Config{
		"no base url":      {AddonUniqueName: AddonLiveChat, AccessToken: "a", RefreshToken: "r"},
		"relative url":     {BaseURL: "api.example.com", AddonUniqueName: AddonLiveChat, AccessToken: "a", RefreshToken: "r"},
		"no addon":         {BaseURL: "https://h", AccessToken: "a", RefreshToken: "r"},
		"half a pair":      {BaseURL: "https://h", AddonUniqueName: AddonLiveChat, AccessToken: "a"},
		"no credentials":   {BaseURL: "https://h", AddonUniqueName: AddonLiveChat},
		"partial password": {BaseURL: "https://h", AddonUniqueName: AddonLiveChat, Email: "a@b.co", Password: "p"},
	}
	for name, cfg := range cases {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for url, want := range map[string]bool{
		"http://127.0.0.1:8089/": true, "http://localhost/": true, "http://[::1]:80": true,
		"http://api.example.com/": false, "https://10.0.0.1/": false,
	} {
		if got := IsLoopback(url); got != want {
			t.Errorf("%s: %t", url, got)
		}
	}
}

func TestConfigProblemsNameEachSetting(t *testing.T) {
	login := Config{BaseURL: "https://h", AddonUniqueName: AddonLiveChat, Email: "a@b.co", Password: "p", OrganisationDomain: "o"}
	pair := Config{BaseURL: "https://h", AddonUniqueName: AddonLiveChat, AccessToken: "a", RefreshToken: "r"}
	with := func(c Config, change func(*Config)) Config { change(&c); return c }
	cases := map[string]struct {
		cfg  Config
		want string // the problems, as field(missing) or field(invalid), in order
	}{
		"login":               {login, "[]"},
		"token pair":          {pair, "[]"},
		"both":                {with(pair, func(c *Config) { c.Email, c.Password, c.OrganisationDomain = "a@b.co", "p", "o" }), "[]"},
		"nothing":             {Config{}, "[base_url(missing) addon_unique_name(missing) email(missing) password(missing) organisation_domain(missing)]"},
		"relative url":        {with(login, func(c *Config) { c.BaseURL = "api.example.com" }), "[base_url(invalid)]"},
		"url with a query":    {with(login, func(c *Config) { c.BaseURL = "https://h/?x=1" }), "[base_url(invalid)]"},
		"unknown addon":       {with(login, func(c *Config) { c.AddonUniqueName = "video_chat" }), "[addon_unique_name(invalid)]"},
		"half a pair":         {with(pair, func(c *Config) { c.RefreshToken = "" }), "[refresh_token(missing)]"},
		"pair and half login": {with(pair, func(c *Config) { c.Email = "a@b.co" }), "[password(missing) organisation_domain(missing)]"},
		"negative retries":    {with(login, func(c *Config) { c.MaxRetries = new(-1) }), "[max_retries(invalid)]"},
		"negative pace":       {with(login, func(c *Config) { c.RequestsPerSecond = -1 }), "[requests_per_second(invalid)]"},
		"negative timeouts":   {with(login, func(c *Config) { c.RequestTimeout, c.RetryTimeout = -1, -1 }), "[request_timeout(invalid) retry_timeout(invalid)]"},
		"too many retries":    {with(login, func(c *Config) { c.MaxRetries = new(MaxRetriesLimit + 1) }), "[max_retries(invalid)]"},
		"as many as allowed":  {with(login, func(c *Config) { c.MaxRetries = new(MaxRetriesLimit) }), "[]"},
		"pace too slow":       {with(login, func(c *Config) { c.RequestsPerSecond = MinRequestsPerSecond / 2 }), "[requests_per_second(invalid)]"},
		"slowest pace":        {with(login, func(c *Config) { c.RequestsPerSecond = MinRequestsPerSecond }), "[]"},
	}
	for name, tc := range cases {
		var got []string
		for _, p := range tc.cfg.Problems() {
			kind := "invalid"
			if p.Missing {
				kind = "missing"
			}
			got = append(got, p.Field+"("+kind+")")
		}
		if s := fmt.Sprint(got); s != tc.want {
			t.Errorf("%s: %s, want %s", name, s, tc.want)
		}
	}
}

func TestDefaultsApplyOnlyToWhatIsUnset(t *testing.T) {
	d := Config{}.withDefaults()
	if d.RequestTimeout != DefaultRequestTimeout || *d.MaxRetries != DefaultMaxRetries || d.RetryTimeout != DefaultRetryTimeout {
		t.Errorf("defaults: %v %v %v", d.RequestTimeout, *d.MaxRetries, d.RetryTimeout)
	}
	if none := (Config{MaxRetries: new(0)}).withDefaults(); *none.MaxRetries != 0 {
		t.Errorf("max_retries 0 became %d: 0 means no retries", *none.MaxRetries)
	}
}
