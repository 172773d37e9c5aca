# A small Chatwhizz set-up: two websites, three operators, and who answers
# chats where. `make demo` applies it against the embedded emulator.
#
# The provider's settings come from the environment, so nothing secret is
# written here and no provider block is needed:
#   CHATWHIZZ_BASE_URL, CHATWHIZZ_EMAIL, CHATWHIZZ_PASSWORD,
#   CHATWHIZZ_ORGANISATION_DOMAIN, CHATWHIZZ_ADDON_UNIQUE_NAME=live_chat

terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

locals {
  team = {
    ada   = { email = "ada@example.com", first_name = "Ada", last_name = "Lovelace" }
    grace = { email = "grace@example.com", first_name = "Grace", last_name = "Hopper" }
    alan  = { email = "alan@example.com", first_name = "Alan", last_name = "Turing" }
  }

  # Which operators answer on which site, and who administers it.
  rota = {
    "shop/ada"   = { site = "shop", operator = "ada", admin = true }
    "shop/grace" = { site = "shop", operator = "grace", admin = false }
    "docs/grace" = { site = "docs", operator = "grace", admin = true }
    "docs/alan"  = { site = "docs", operator = "alan", admin = false }
  }
}

resource "chatwhizz_domain" "site" {
  for_each = {
    shop = "shop.example.com"
    docs = "docs.example.com"
  }

  name  = each.value
  email = "webmaster@example.com"
}

resource "chatwhizz_operator" "team" {
  for_each = local.team

  email      = each.value.email
  first_name = each.value.first_name
  last_name  = each.value.last_name
}

resource "chatwhizz_operator_assignment" "rota" {
  for_each = local.rota

  domain_name = chatwhizz_domain.site[each.value.site].name
  operator_id = chatwhizz_operator.team[each.value.operator].id
  is_admin    = each.value.admin
}

output "operators" {
  description = "Operator ids by person."
  value       = { for k, op in chatwhizz_operator.team : k => op.id }
}

output "rota" {
  description = "Who answers chats where."
  value       = sort([for a in chatwhizz_operator_assignment.rota : "${a.domain_name}: ${a.name}${a.is_admin ? " (admin)" : ""}"])
}
