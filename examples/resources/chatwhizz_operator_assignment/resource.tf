terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

resource "chatwhizz_domain" "shop" {
  name  = "shop.example.com"
  email = "webmaster@example.com"
}

resource "chatwhizz_operator" "ada" {
  email      = "ada@example.com"
  first_name = "Ada"
  last_name  = "Lovelace"
}

# Ada answers chats on the shop and administers it.
resource "chatwhizz_operator_assignment" "example" {
  domain_name = chatwhizz_domain.shop.name
  operator_id = chatwhizz_operator.ada.id
  is_admin    = true
}

resource "chatwhizz_operator" "grace" {
  email = "grace@example.com"
}

# Grace is assigned to the shop but shows as offline there.
resource "chatwhizz_operator_assignment" "backup" {
  domain_name   = chatwhizz_domain.shop.name
  operator_id   = chatwhizz_operator.grace.id
  online_status = false
}
