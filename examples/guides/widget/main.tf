# A marketplace on the seller-buyer addon, and a check that visitors see the
# chat widget on it. The login comes from the environment.

terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

provider "chatwhizz" {
  alias             = "seller_buyer"
  addon_unique_name = "seller_buyer_chat_System"
}

resource "chatwhizz_domain" "market" {
  provider = chatwhizz.seller_buyer

  name  = "market.example.com"
  email = "webmaster@example.com"
}

resource "chatwhizz_operator" "seller" {
  provider = chatwhizz.seller_buyer

  email = "seller@example.com"
}

resource "chatwhizz_operator_assignment" "seller" {
  provider = chatwhizz.seller_buyer

  domain_name      = chatwhizz_domain.market.name
  operator_id      = chatwhizz_operator.seller.id
  receive_messages = true
}

# The domain name comes from the assignment, so the check reads after it.
check "chat_widget_is_live" {
  data "chatwhizz_widget_visibility" "market" {
    provider = chatwhizz.seller_buyer

    domain_name = chatwhizz_operator_assignment.seller.domain_name
  }

  assert {
    condition     = data.chatwhizz_widget_visibility.market.visible
    error_message = "The chat widget is hidden on ${data.chatwhizz_widget_visibility.market.domain_name}: ${data.chatwhizz_widget_visibility.market.reason}"
  }
}
