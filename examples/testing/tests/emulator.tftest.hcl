# Against a real server of the API, configured from the environment: the
# objects are created, checked, then destroyed (which, as the API has no
# delete, deactivates them). Run it against `make emulator`, or against a
# test organisation.

run "creates_the_team" {
  assert {
    condition     = chatwhizz_domain.site.active
    error_message = "the domain should be active"
  }

  assert {
    condition     = alltrue([for o in chatwhizz_operator.team : can(regex("^[0-9a-f]{24}$", o.id)) && o.active])
    error_message = "every operator should have a server id and be active"
  }

  assert {
    condition     = chatwhizz_operator.team["ada"].name == "ada"
    error_message = "an operator made without names is named after its email"
  }

  assert {
    condition     = output.admins == tolist(["ada"])
    error_message = "only ada should administer the site"
  }
}
