# No server: the mock provider answers every call. A mock invents a random
# string for each computed attribute, but an operator's id must be 24
# lower-case hexadecimal characters (chatwhizz_operator_assignment checks it
# before any call), so the mock is given a valid one.

mock_provider "chatwhizz" {
  mock_resource "chatwhizz_operator" {
    defaults = {
      id = "65f1c0ffee0123456789abcd"
    }
  }
}

run "assigns_every_operator_to_the_site" {
  assert {
    condition     = length(chatwhizz_operator_assignment.team) == 2
    error_message = "every operator of the team should be assigned"
  }

  assert {
    condition     = alltrue([for a in chatwhizz_operator_assignment.team : a.domain_name == "shop.example.com"])
    error_message = "the assignments should be on the site"
  }

  assert {
    condition     = output.admins == tolist(["ada"])
    error_message = "only ada should administer the site"
  }
}

run "another_site" {
  variables {
    site = "store.example.com"
  }

  assert {
    condition     = chatwhizz_domain.site.email == "webmaster@store.example.com"
    error_message = "the domain's email should follow the site"
  }
}
