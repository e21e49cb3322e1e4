# A path script in the shape the ruby filter documents: register(params), filter(event), tests.
require 'ipaddr'

def register(params)
  @source = params['source_field']
  @target = params['target_field']
  @private = [IPAddr.new('10.0.0.0/8'), IPAddr.new('172.16.0.0/12'), IPAddr.new('192.168.0.0/16')]
end

def filter(event)
  text = event.get(@source)
  return [event] if text.nil?
  addr = IPAddr.new(text.to_s) rescue nil
  event.set(@target, addr.nil? ? 'invalid' : (@private.any? { |net| net.include?(addr) } ? 'private' : 'public'))
  [event]
end

test 'a private address' do
  parameters { { 'source_field' => 'ip', 'target_field' => 'scope' } }
  in_event { { 'ip' => '10.1.2.3' } }
  expect('is tagged private') { |events| events.first.get('scope') == 'private' }
end
