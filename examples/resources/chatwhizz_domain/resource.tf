terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

resource "chatwhizz_domain" "example" {
  name  = "shop.example.com"
  email = "webmaster@example.com"
}

# A domain can be kept under management while inactive.
resource "chatwhizz_domain" "staging" {
  name   = "staging.shop.example.com"
  email  = "webmaster@example.com"
  active = false
}
