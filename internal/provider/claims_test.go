package provider

import (
	"strings"
	"testing"
	"time"
)

// renamedBy renames from into to, as a domain's Update does once the server
// has answered.
func renamedBy(t *testing.T, c *claims, from, to string) {
	t.Helper()
	r, refused := c.lockRename(from, to)
	if r == nil {
		t.Fatalf("rename %s -> %s refused: %s", from, to, refused)
	}
	r.done("test")
	r.unlock()
}

// TestClaimsRenamesAreNotChained: y renames b to c, then x renames a to b
// (the only order in which both succeed): x's domain is at b, and c is y's.
func TestClaimsRenamesAreNotChained(t *testing.T) {
	c := newClaims()
	renamedBy(t, c, "b.example.com", "c.example.com")
	renamedBy(t, c, "a.example.com", "b.example.com")
	if c.wasRenamed("a.example.com", "c.example.com") {
		t.Error("a -> b of one domain and b -> c of another were followed as one rename a -> c")
	}
	if !c.wasRenamed("a.example.com", "b.example.com") || !c.wasRenamed("b.example.com", "c.example.com") {
		t.Error("each domain's own rename should be followed")
	}
	claim, now := c.lockDomainName("a.example.com")
	claim.Unlock()
	if now != "b.example.com" {
		t.Errorf("the domain known as a is now %s, want b", now)
	}
}

// TestClaimsOneObjectOneResource: a second resource taking an object is
// refused with what the first did; the deposed destroy of a replacement
// only reads the claim, so it is not a second resource.
func TestClaimsOneObjectOneResource(t *testing.T) {
	c := newClaims()
	first, _ := c.lockToTake(operatorKey("Twin@acme.test"), `created or adopted it with email "Twin@acme.test"`)
	first.taken = true
	first.Unlock()
	if second, takenBy := c.lockToTake(operatorKey("twin@acme.test"), "..."); second != nil || !strings.Contains(takenBy, `"Twin@acme.test"`) {
		t.Errorf("the second operator of one email up to case was not refused (%q)", takenBy)
	}
	if deposed := c.lock(operatorKey("TWIN@acme.test")); !deposed.taken {
		t.Error("the deposed destroy does not see the create")
	}
	// A create that failed took nothing: the next may take the object.
	failed, _ := c.lockToTake(domainKey("shop.example.com"), "created or adopted it")
	failed.Unlock()
	if next, takenBy := c.lockToTake(domainKey("shop.example.com"), "created or adopted it"); next == nil {
		t.Errorf("a failed create kept the domain: %s", takenBy)
	}
}

// TestClaimsRenameAndCreate: a rename never moves a domain that a create of
// this apply adopted under the old name, and a create never lands on the
// domain a rename moved in; the old name is free once the rename is done.
func TestClaimsRenameAndCreate(t *testing.T) {
	c := newClaims()
	adopted, _ := c.lockToTake(domainKey("a.example.com"), `created or adopted it as "a.example.com"`)
	adopted.taken = true
	adopted.Unlock()
	if r, refused := c.lockRename("a.example.com", "b.example.com"); r != nil ||
		!strings.Contains(refused, `"a.example.com" to "b.example.com"`) || !strings.Contains(refused, "depends_on") {
		t.Errorf("renaming the domain a create adopted was not refused as it should be: %q", refused)
	}

	renamedBy(t, c, "x.example.com", "y.example.com")
	if claim, takenBy := c.lockToTake(domainKey("y.example.com"), "created or adopted it"); claim != nil || !strings.Contains(takenBy, `renamed domain "x.example.com"`) {
		t.Errorf("a create landed on the domain a rename moved in (%q)", takenBy)
	}
	if claim, _ := c.lockToTake(domainKey("x.example.com"), "created or adopted it"); claim == nil {
		t.Error("the old name should be free for a new domain after the rename")
	}
}

// TestClaimsRenameWaitsForRelease: a rename of a domain waits for a release
// under its old name, so the release never sends the old name to a domain
// already renamed.
func TestClaimsRenameWaitsForRelease(t *testing.T) {
	c := newClaims()
	release, name := c.lockDomainName("a.example.com")
	if name != "a.example.com" {
		t.Fatalf("before any rename the domain is %s", name)
	}
	renamed := make(chan struct{})
	go func() {
		r, _ := c.lockRename("a.example.com", "b.example.com")
		r.done("test")
		r.unlock()
		close(renamed)
	}()
	select {
	case <-renamed:
		t.Fatal("the rename ran during the release")
	case <-time.After(50 * time.Millisecond):
	}
	release.Unlock()
	<-renamed
	release, name = c.lockDomainName("a.example.com")
	release.Unlock()
	if name != "b.example.com" {
		t.Errorf("after the rename the release should act on b, not %s", name)
	}
}
