package chatwhizz

import (
	"net/http"
	"strings"
)

// Endpoint is one call of the contract: its method and route. A route's
// {wildcard} segment stands for the object's name or id, sent escaped as one
// segment. The emulator routes the same table (a test holds them together).
type Endpoint struct{ method, route string }

// String is how logs and the emulator's counters name the endpoint, such
// as "GET admin/domain/{domain_name}".
func (e Endpoint) String() string { return e.method + " " + e.route }

// The endpoints the client calls: every route string of the client is here.
var (
	EndpointLogin            = Endpoint{http.MethodGet, "admin/access-token"}
	EndpointValidate         = Endpoint{http.MethodPost, "admin/access-token/validate"}
	EndpointRegenerate       = Endpoint{http.MethodPost, "admin/access-token/regenerate"}
	EndpointCreateOperator   = Endpoint{http.MethodPost, "admin/operator/create"}
	EndpointGetOperator      = Endpoint{http.MethodGet, "admin/operator/{operatorId}"}
	EndpointUpdateOperator   = Endpoint{http.MethodPut, "admin/operator/update/{operatorId}"}
	EndpointCreateDomain     = Endpoint{http.MethodPost, "admin/domain/create"}
	EndpointGetDomain        = Endpoint{http.MethodGet, "admin/domain/{domain_name}"}
	EndpointUpdateDomain     = Endpoint{http.MethodPut, "admin/domain/update/{domain_name}"}
	EndpointAssign           = Endpoint{http.MethodPost, "admin/operator/assign"}
	EndpointUpdateAssignment = Endpoint{http.MethodPut, "admin/operator/assign/{operatorId}"}
	// The reference's spelling.
	EndpointWidgetVisibility = Endpoint{http.MethodPost, "admin/check-widget-visiblity"}
)

// Endpoints are all of them.
var Endpoints = []Endpoint{
	EndpointLogin, EndpointValidate, EndpointRegenerate,
	EndpointCreateOperator, EndpointGetOperator, EndpointUpdateOperator,
	EndpointCreateDomain, EndpointGetDomain, EndpointUpdateDomain,
	EndpointAssign, EndpointUpdateAssignment, EndpointWidgetVisibility,
}

// segments are the route's path segments, its wildcard replaced by param.
func (e Endpoint) segments(param string) []string {
	segs := strings.Split(e.route, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			segs[i] = param
		}
	}
	return segs
}
