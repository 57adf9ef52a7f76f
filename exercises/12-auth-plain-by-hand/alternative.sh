# Another valid way: curl with SASL PLAIN (AUTH PLAIN, then the credentials after the server's "+ ").
curl --silent --show-error --max-time 10 --login-options AUTH=PLAIN --no-sasl-ir \
    --user "$POP_ACCOUNT:$POP_PASSWORD" "pop3://$POP_HOST:$POP_PORT/" > /dev/null
