# The seed's Python 3 example (blender-xmlrpc-server), unchanged but for the ports, which come from argv,
# and a JSON summary at the end so the test can check what the stock client received.
import xmlrpc.client as xmlrpclib
import socket
import json
import sys

# get server data function
def server_data(host='localhost', port=8000, app='', debug=False):
    if debug:
        print('Scanning port:', port)
    try:
        proxy = xmlrpclib.ServerProxy(
            'http://'+host+':'+str(port)+'/', allow_none=True)
        data = proxy.server_data()
        if debug:
            print(' ', port, data)
        if app in data['exe']:
            return data
    except(socket.error):
        if debug:
            print('Couldnt connect with the socket-server: %s\n' % port)

# send a command to the server
def xmlrpc_command(string_cmd, host='localhost', port=8000, debug=False):
    proxy = xmlrpclib.ServerProxy(
        'http://'+host+':'+str(port)+'/',
        allow_none=True)
    com = proxy.command(string_cmd)
    if debug:
        print(
            'on port',
            port,
            'and host',
            host,
            'Your command is: ' + com
        )
    return com

summary = {}
for port in [int(p) for p in sys.argv[1:]]:
    # print data from remote session
    data = server_data(port=port)
    scene_objects = str(data['scene_objects'])
    # send print data cmd to the remote session
    string_cmd=''
    string_cmd+='print()\n'
    string_cmd+='print("Blender data is: '+str(data['exe'])+'")\n'
    string_cmd+='print("Scene Objects are: '+str(scene_objects)+'")\n'
    string_cmd+='print()\n'
    output = xmlrpc_command(string_cmd, port=port)
    proxy = xmlrpclib.ServerProxy('http://localhost:'+str(port)+'/', allow_none=True)
    summary[str(port)] = {
        'data': data,
        'output': output,
        'scene_objects': proxy.scene_objects(),
        'added': proxy.command("print(scene.add('Sphere', 'MESH'))"),
        'emoji': proxy.command("print(u'shot \U0001F3AC ok')"),
    }
    try:
        proxy.command("1/0")
    except xmlrpclib.Fault as fault:
        summary[str(port)]['fault'] = [fault.faultCode, fault.faultString.splitlines()[0]]
print(json.dumps(summary))
