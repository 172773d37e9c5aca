# Bringing an organisation that already exists under Terraform, without
# changing anything on it. The API has no list: the names and ids below are
# yours to collect, from the Chatwhizz console: the domains' names and the
# operators' ids. The provider's settings come from the environment
# (CHATWHIZZ_BASE_URL, CHATWHIZZ_EMAIL, CHATWHIZZ_PASSWORD,
# CHATWHIZZ_ORGANISATION_DOMAIN, CHATWHIZZ_ADDON_UNIQUE_NAME=live_chat).

terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

locals {
  domains = {
    "shop.example.com" = { email = "webmaster@example.com" }
    "blog.example.com" = { email = "webmaster@example.com" }
  }
  operators = {
    ada   = { id = "65f1c0ffee0123456789abcd", email = "ada@example.com" }
    grace = { id = "65f1c0ffee0123456789abce", email = "grace@example.com" }
  }
  # Who answers where: "<domain>/<operator key>".
  assignments = toset(["shop.example.com/ada", "shop.example.com/grace", "blog.example.com/ada"])
}

# Import blocks with for_each need Terraform 1.7 or OpenTofu 1.7 or later.
import {
  for_each = local.domains
  to       = chatwhizz_domain.site[each.key]
  id       = each.key
}

import {
  for_each = local.operators
  to       = chatwhizz_operator.team[each.key]
  id       = each.value.id
}

import {
  for_each = local.assignments
  to       = chatwhizz_operator_assignment.rota[each.key]
  id       = "${split("/", each.key)[0]}/${local.operators[split("/", each.key)[1]].id}"
}

resource "chatwhizz_domain" "site" {
  for_each = local.domains

  name  = each.key
  email = each.value.email
}

resource "chatwhizz_operator" "team" {
  for_each = local.operators

  email = each.value.email
}

# The settings of an assignment cannot be read back: left out, they stay as
# they are on the server. Set one (is_admin, online_status) to manage it.
resource "chatwhizz_operator_assignment" "rota" {
  for_each = local.assignments

  domain_name = chatwhizz_domain.site[split("/", each.key)[0]].name
  operator_id = chatwhizz_operator.team[split("/", each.key)[1]].id
}
