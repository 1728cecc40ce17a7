#!/usr/bin/perl
# The seed's HIXIE.2: a conformant TCPConnection/1.0 server in a few lines of core Perl.
# Usage: perl-echo.pl [PORT] — prints "listening http 127.0.0.1 PORT", accepts the handshake
# (spec §4.1/§4.2; any page may use it: §5 "allow <*>"), then echoes bytes. Stops when idle.
use strict; use warnings; use IO::Socket::INET; $SIG{CHLD} = 'IGNORE'; $| = 1;
my $server = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $ARGV[0] || 0, Listen => 64, ReuseAddr => 1) or die "listen: $!\n";
print "listening http 127.0.0.1 ", $server->sockport, "\n"; alarm 600;
while (my $client = $server->accept) { alarm 600; next if fork; my ($request, $byte) = ('', '');
  $request .= $byte while $request !~ /\r\n\r\n\z/ && sysread $client, $byte, 1;  # unbuffered: keep what follows
  exit unless $request =~ m{\AOPTIONS /\S* HTTP/1\.1\r\n}i && $request =~ m{^Upgrade:\s*TCPConnection/1\.0\s*$}mi;
  syswrite $client, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\nAccess-Control: allow <*>\r\n\r\n";
  my $bytes; syswrite $client, $bytes while sysread $client, $bytes, 65536; exit; }
