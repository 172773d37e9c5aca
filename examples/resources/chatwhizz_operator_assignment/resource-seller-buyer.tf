# On the seller-buyer addon an assignment also names the seller's product page
# and whether the operator receives the messages.
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
  unique_id        = "product-4711"
  receive_messages = true
}
