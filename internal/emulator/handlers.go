package emulator

import (
	"cmp"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Every handler parses and checks its input before taking the lock, then
// does its work under it; ServeHTTP writes the answer after it is released.
// The routes with a body hold that order in one place (handleBody); those
// without one check their query or their {wildcard} (prepare) and work under
// the lock (locked).

// request is the body of a route: it checks itself as the contract pins it,
// before any state is read, then does its work on the emulator's state,
// under the lock.
type request interface {
	check(p principal) *apiError
	apply(e *Emulator, c *call) (any, *apiError)
}

// handleBody is the handler of a route whose body is a T.
func handleBody[T request](e *Emulator, c *call) (any, *apiError) {
	var in T
	if err := decodeBody(c.r, &in); err != nil {
		return nil, err
	}
	if err := in.check(c.p); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return in.apply(e, c)
}

// locked is the handler of a route without a body: h works under the lock.
func locked(h func(e *Emulator, c *call) (any, *apiError)) func(e *Emulator, c *call) (any, *apiError) {
	return func(e *Emulator, c *call) (any, *apiError) {
		e.mu.Lock()
		defer e.mu.Unlock()
		return h(e, c)
	}
}

func (e *Emulator) login(c *call) (any, *apiError) {
	q := c.r.URL.Query()
	for _, f := range []string{"email", "password", "organisation_domain", "addon_unique_name"} {
		if err := required(f, q.Get(f)); err != nil {
			return nil, err
		}
	}
	addon := q.Get("addon_unique_name")

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.knobs.LoginUserNotFound {
		return nil, errorf(http.StatusNotFound, "User not found for this organisation")
	}
	o, ok := e.orgs[q.Get("organisation_domain")]
	if !ok || !strings.EqualFold(o.cfg.Email, q.Get("email")) || o.cfg.Password != q.Get("password") {
		return nil, errorf(http.StatusUnauthorized, "invalid credentials")
	}
	if !o.addons[addon] {
		return nil, errorf(http.StatusBadRequest, "addon %q is not enabled for organisation %q", addon, o.cfg.Domain)
	}
	now := time.Now()
	s := e.newSessionLocked(o.cfg.Domain, addon, now)
	e.stats.Logins++
	return tokenData(s, now), nil
}

// tokenPair is the pair that validate and regenerate are sent.
type tokenPair struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

func (in tokenPair) check(principal) *apiError {
	return cmp.Or(required("access_token", in.AccessToken), required("refresh_token", in.RefreshToken))
}

// pairLocked finds the session of a pair; both tokens must be the current
// ones of the same pair.
func (e *Emulator) pairLocked(in tokenPair) (*session, *apiError) {
	s, ok := e.sessions[in.AccessToken]
	if !ok {
		return nil, errorf(http.StatusUnauthorized, "invalid access token")
	}
	if s.refresh != in.RefreshToken {
		return nil, errorf(http.StatusUnauthorized, "refresh token does not belong to this access token")
	}
	return s, nil
}

// validation is the body of validate.
type validation struct {
	tokenPair
	Addon string `json:"addon_unique_name"`
}

func (in validation) check(p principal) *apiError {
	return cmp.Or(in.tokenPair.check(p), required("addon_unique_name", in.Addon))
}

func (in validation) apply(e *Emulator, _ *call) (any, *apiError) {
	s, err := e.pairLocked(in.tokenPair)
	if err != nil {
		return nil, err
	}
	if s.addon != in.Addon {
		return nil, errorf(http.StatusUnauthorized, "tokens were not issued for addon %q", in.Addon)
	}
	now := time.Now()
	if !now.Before(s.accessExp) {
		return nil, errorf(http.StatusUnauthorized, "access token expired")
	}
	e.stats.Validations++
	return tokenData(s, now), nil
}

// regeneration is the body of regenerate.
type regeneration struct{ tokenPair }

func (in regeneration) apply(e *Emulator, _ *call) (any, *apiError) {
	s, err := e.pairLocked(in.tokenPair)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if !now.Before(s.refreshExp) {
		return nil, errorf(http.StatusUnauthorized, "refresh token expired")
	}
	// Rotation: the old pair stops working at once.
	delete(e.sessions, s.access)
	ns := e.newSessionLocked(s.org, s.addon, now)
	e.stats.Regenerations++
	return tokenData(ns, now), nil
}

// tokenData is the data of the three token routes. expire_in is the access
// token's remaining lifetime rounded up to whole seconds, so it is at least 1
// while the token is alive.
func tokenData(s *session, now time.Time) map[string]any {
	left := max(s.accessExp.Sub(now), 0)
	return map[string]any{
		"access_token":        s.access,
		"refresh_token":       s.refresh,
		"expire_in":           int64((left + time.Second - 1) / time.Second),
		"organisation_domain": s.org,
	}
}

// operatorCreation is the body of createOperator.
type operatorCreation struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

func (in operatorCreation) check(principal) *apiError { return checkEmail("email", in.Email) }

func (in operatorCreation) apply(e *Emulator, c *call) (any, *apiError) { //nolint:unparam // a request's apply; creating an operator cannot fail
	o := e.orgs[c.p.org]
	key := strings.ToLower(in.Email)
	op, ok := o.byEmail[key]
	if !ok {
		name := strings.TrimSpace(in.FirstName + " " + in.LastName)
		if name == "" {
			name, _, _ = strings.Cut(in.Email, "@")
		}
		op = &OperatorRecord{
			ID:                 e.newOperatorIDLocked(),
			Email:              in.Email,
			Name:               name,
			OrganisationDomain: o.cfg.Domain,
			ActiveAddons:       map[string]bool{},
		}
		o.operators[op.ID] = op
		o.byEmail[key] = op
	}
	op.ActiveAddons[c.p.addon] = true
	return map[string]any{"id": op.ID, "name": op.Name, "email": op.Email, "addon_unique_name": c.p.addon}, nil
}

func (e *Emulator) getOperator(c *call) (any, *apiError) {
	op, err := e.operatorLocked(c.p, c.param)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"_id":      op.ID,
		"name":     op.Name,
		"email":    op.Email,
		"status":   op.Presence,
		"operator": op.ActiveAddons[c.p.addon],
	}, nil
}

// operatorUpdate is the body of updateOperator.
type operatorUpdate struct {
	Status *int `json:"status"`
}

func (in operatorUpdate) check(principal) *apiError {
	switch {
	case in.Status == nil:
		return errorf(http.StatusBadRequest, "status is required")
	case *in.Status != 0 && *in.Status != 1:
		return errorf(http.StatusBadRequest, "status must be 0 or 1, not %d", *in.Status)
	}
	return nil
}

func (in operatorUpdate) apply(e *Emulator, c *call) (any, *apiError) {
	op, err := e.operatorLocked(c.p, c.param)
	if err != nil {
		return nil, err
	}
	op.ActiveAddons[c.p.addon] = *in.Status == 1
	return "Status Changes Successfully", nil
}

// operatorLocked finds an operator of the caller's organisation; one of
// another organisation does not exist for the caller.
func (e *Emulator) operatorLocked(p principal, id string) (*OperatorRecord, *apiError) {
	op, ok := e.orgs[p.org].operators[id]
	if !ok {
		return nil, errorf(http.StatusNotFound, "operator %q not found", id)
	}
	return op, nil
}

// domainCreation is the body of createDomain.
type domainCreation struct {
	DomainName string `json:"domain_name"`
	Email      string `json:"email"`
}

func (in domainCreation) check(principal) *apiError {
	return cmp.Or(checkDomainName("domain_name", in.DomainName), checkEmail("email", in.Email))
}

func (in domainCreation) apply(e *Emulator, c *call) (any, *apiError) {
	if _, ok := e.domains[in.DomainName]; ok {
		return nil, errorf(http.StatusConflict, "domain %q already exists", in.DomainName)
	}
	d := &DomainRecord{
		Name:               in.DomainName,
		Email:              in.Email,
		OrganisationDomain: c.p.org,
		Addon:              c.p.addon,
		Active:             true,
		Assignments:        map[string]AssignmentRecord{},
	}
	data := map[string]any{"name": d.Name, "email": d.Email, "status": d.Active, "addon_unique_name": d.Addon}
	if d.Addon == AddonSellerBuyer {
		d.Link = fmt.Sprintf(`<script src="https://cdn.chatwhizz.example/embed.js" data-domain="%s" data-key="%s"></script>`, d.Name, randomHex(16))
		data["link"] = d.Link
	}
	e.domains[d.Name] = d
	return data, nil
}

func (e *Emulator) getDomain(c *call) (any, *apiError) {
	d, err := e.domainLocked(c.p, c.param)
	if err != nil {
		return nil, err
	}
	return map[string]any{"name": d.Name, "email": d.Email, "status": d.Active}, nil
}

// domainUpdate is the body of updateDomain: a nil setting is left as it is.
type domainUpdate struct {
	Name   *string `json:"name"`
	Status *bool   `json:"status"`
	Email  *string `json:"email"`
}

func (in domainUpdate) check(principal) *apiError {
	if in.Name == nil && in.Status == nil && in.Email == nil {
		return errorf(http.StatusBadRequest, "at least one of name, status, email is required")
	}
	if in.Name != nil {
		if *in.Name == "" {
			return errorf(http.StatusBadRequest, "name must not be empty")
		}
		if err := checkDomainName("name", *in.Name); err != nil {
			return err
		}
	}
	if in.Email != nil {
		return checkEmail("email", *in.Email)
	}
	return nil
}

func (in domainUpdate) apply(e *Emulator, c *call) (any, *apiError) {
	d, err := e.domainLocked(c.p, c.param)
	if err != nil {
		return nil, err
	}
	if in.Name != nil && *in.Name != d.Name {
		if _, taken := e.domains[*in.Name]; taken {
			return nil, errorf(http.StatusConflict, "domain %q already exists", *in.Name)
		}
		// The record, assignments included, moves to its new name.
		delete(e.domains, d.Name)
		d.Name = *in.Name
		e.domains[d.Name] = d
	}
	if in.Status != nil {
		d.Active = *in.Status
	}
	if in.Email != nil {
		d.Email = *in.Email
	}
	return map[string]any{"name": d.Name, "status": d.Active, "email": d.Email}, nil
}

// domainLocked finds a domain visible to the caller: one of another
// organisation or another addon does not exist for it.
func (e *Emulator) domainLocked(p principal, name string) (*DomainRecord, *apiError) {
	d, ok := e.domains[name]
	if !ok || d.OrganisationDomain != p.org || d.Addon != p.addon {
		return nil, errorf(http.StatusNotFound, "domain %q not found", name)
	}
	return d, nil
}

// sellerBuyerOnly refuses a field the contract reserves for the seller-buyer
// addon when the caller's token is of another addon.
func sellerBuyerOnly(p principal, field string, present bool) *apiError {
	if present && p.addon != AddonSellerBuyer {
		return errorf(http.StatusBadRequest, "%s is only accepted for addon %q, not %q", field, AddonSellerBuyer, p.addon)
	}
	return nil
}

// assignment is the body of assign.
type assignment struct {
	DomainName string  `json:"domain_name"`
	OperatorID string  `json:"operator_id"`
	UniqueID   *string `json:"unique_id"`
	IsAdmin    *bool   `json:"is_admin"`
}

func (in assignment) check(p principal) *apiError {
	return cmp.Or(
		checkDomainName("domain_name", in.DomainName),
		required("operator_id", in.OperatorID),
		checkOperatorID(in.OperatorID),
		sellerBuyerOnly(p, "unique_id", in.UniqueID != nil),
		checkUniqueID(in.UniqueID),
	)
}

func (in assignment) apply(e *Emulator, c *call) (any, *apiError) {
	d, err := e.domainLocked(c.p, in.DomainName)
	if err != nil {
		return nil, err
	}
	op, err := e.operatorLocked(c.p, in.OperatorID)
	if err != nil {
		return nil, err
	}
	// An assignment that exists, released included, keeps what is not sent:
	// its unique_id above all, which nothing can clear.
	a, ok := d.Assignments[op.ID]
	if !ok {
		a = AssignmentRecord{OperatorID: op.ID, OnlineStatus: true, Status: true}
	}
	if in.IsAdmin != nil {
		a.IsAdmin = *in.IsAdmin
	}
	if in.UniqueID != nil {
		a.UniqueID = *in.UniqueID
	}
	d.Assignments[op.ID] = a

	ops := map[string]any{"name": op.Name, "email": op.Email, "userId": op.ID, "is_admin": a.IsAdmin}
	if c.p.addon == AddonSellerBuyer {
		ops["unique_id"] = a.UniqueID
	}
	return map[string]any{"operators": ops}, nil
}

// assignmentUpdate is the body of an assignment's update: a nil setting is
// left as it is.
type assignmentUpdate struct {
	DomainName   string  `json:"domain_name"`
	UniqueID     *string `json:"unique_id"`
	IsAdmin      *bool   `json:"is_admin"`
	OnlineStatus *bool   `json:"online_status"`
	Status       *bool   `json:"status"`
}

// check allows the seller-buyer settings on that addon only, and wants at
// least one setting.
func (in assignmentUpdate) check(p principal) *apiError {
	if err := cmp.Or(
		checkDomainName("domain_name", in.DomainName),
		sellerBuyerOnly(p, "unique_id", in.UniqueID != nil),
		checkUniqueID(in.UniqueID),
		sellerBuyerOnly(p, "status", in.Status != nil),
	); err != nil {
		return err
	}
	if in.UniqueID == nil && in.IsAdmin == nil && in.OnlineStatus == nil && in.Status == nil {
		return errorf(http.StatusBadRequest, "at least one of unique_id, is_admin, online_status, status is required")
	}
	return nil
}

func (in assignmentUpdate) apply(e *Emulator, c *call) (any, *apiError) {
	d, err := e.domainLocked(c.p, in.DomainName)
	if err != nil {
		return nil, err
	}
	a, ok := d.Assignments[c.param]
	if !ok {
		return nil, errorf(http.StatusNotFound, "operator %q is not assigned to domain %q", c.param, d.Name)
	}
	if in.UniqueID != nil {
		a.UniqueID = *in.UniqueID
	}
	if in.IsAdmin != nil {
		a.IsAdmin = *in.IsAdmin
	}
	if in.OnlineStatus != nil {
		a.OnlineStatus = *in.OnlineStatus
	}
	if in.Status != nil {
		a.Status = *in.Status
	}
	d.Assignments[c.param] = a

	ops := map[string]any{"online_status": a.OnlineStatus, "is_admin": a.IsAdmin}
	if c.p.addon == AddonSellerBuyer {
		ops["unique_id"] = a.UniqueID
		ops["status"] = a.Status
	}
	return map[string]any{"addon_unique_name": c.p.addon, "domain_name": d.Name, "operators": ops}, nil
}

// widgetQuestion is the body of checkWidgetVisibility, which answers the
// call of the seller-buyer page with the emulator's own reading of a rule
// the reference does not state (chatwhizz-api.md section 7). The reference
// lists the call under the seller-buyer addon and says nothing of another;
// the emulator answers it under either addon, by the same rule. It changes
// nothing.
type widgetQuestion struct {
	DomainName string `json:"domain_name"`
}

func (in widgetQuestion) check(principal) *apiError {
	return checkDomainName("domain_name", in.DomainName)
}

func (in widgetQuestion) apply(e *Emulator, c *call) (any, *apiError) {
	d, err := e.domainLocked(c.p, in.DomainName)
	if err != nil {
		return nil, err
	}
	if reason := e.widgetHiddenLocked(d); reason != "" {
		return map[string]any{"isWidgetVisible": false, "reason": reason}, nil
	}
	return map[string]any{"isWidgetVisible": true}, nil
}

// widgetHiddenLocked names the first condition of the emulator's rule that
// the domain fails, or returns "" when its widget is visible: the domain is
// active, and at least one operator active for the addon is assigned to it
// and receives messages (the assignment's status).
func (e *Emulator) widgetHiddenLocked(d *DomainRecord) string {
	if !d.Active {
		return "Domain is inactive"
	}
	assigned := false
	for id, a := range d.Assignments {
		op, ok := e.orgs[d.OrganisationDomain].operators[id]
		if !ok || !op.ActiveAddons[d.Addon] {
			continue
		}
		if a.Status {
			return ""
		}
		assigned = true
	}
	if !assigned {
		return "No operator is assigned to this domain"
	}
	return "No assigned operator receives messages"
}
