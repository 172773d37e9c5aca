# The import ID is the operator id: 24 lower-case hexadecimal characters.
terraform import chatwhizz_operator.example 65f1c0ffee0123456789abcd
