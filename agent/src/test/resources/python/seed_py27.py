# The seed's Python 2.7 example, unchanged but for the port, which the test sets as `port` before running it.
import xmlrpclib, socket
# get server data function
def server_data(host='localhost', port=8000, app='', debug=False):
    if debug:
        print 'Scanning port:', port
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
# get blender data as scene contents
data = server_data(port=port)
scene_objects = data['scene_objects']
print scene_objects, type(scene_objects)
# send a string command
string_cmd=''
string_cmd+='print()\n'
string_cmd+='print("Blender data is: '+str(data['exe'])+'")\n'
string_cmd+='print("Scene Objects are: '+str(scene_objects)+'")\n'
string_cmd+='print()\n'
result = xmlrpc_command(string_cmd, port=port)
print 'RESULT:', repr(result)
