import {
  to = chatwhizz_domain.example
  identity = {
    name = "shop.example.com"
  }
}
