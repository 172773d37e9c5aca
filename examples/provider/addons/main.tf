# One provider block per addon, told apart with `alias`. The login comes from
# the environment (CHATWHIZZ_BASE_URL, CHATWHIZZ_EMAIL, CHATWHIZZ_PASSWORD,
# CHATWHIZZ_ORGANISATION_DOMAIN); each block names its own addon.

terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

provider "chatwhizz" {
  alias             = "live_chat"
  addon_unique_name = "live_chat"
}

provider "chatwhizz" {
  alias             = "seller_buyer"
  addon_unique_name = "seller_buyer_chat_System"
}

# A support site under the live chat addon.
resource "chatwhizz_domain" "support" {
  provider = chatwhizz.live_chat

  name  = "support.example.com"
  email = "webmaster@example.com"
}

# A marketplace under the seller-buyer addon.
resource "chatwhizz_domain" "market" {
  provider = chatwhizz.seller_buyer

  name  = "market.example.com"
  email = "webmaster@example.com"
}

resource "chatwhizz_operator" "seller" {
  provider = chatwhizz.seller_buyer

  email      = "seller@example.com"
  first_name = "Sam"
  last_name  = "Seller"
}

# unique_id and receive_messages exist only on the seller-buyer addon.
resource "chatwhizz_operator_assignment" "seller" {
  provider = chatwhizz.seller_buyer

  domain_name      = chatwhizz_domain.market.name
  operator_id      = chatwhizz_operator.seller.id
  unique_id        = "product-4711"
  receive_messages = true
}

output "market_embed_snippet" {
  description = "The snippet to place on the merchant site, returned when the domain is created."
  value       = chatwhizz_domain.market.link
}
