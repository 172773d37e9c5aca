import {
  to = chatwhizz_domain.example
  id = "shop.example.com"
}
